import { AttemptEndings } from '../../src/relay/attempt-endings';
import { DeliveryReports } from '../../src/relay/delivery-reports';
import { DevinApiError, DevinNetworkError } from '../../src/relay/ports/devin-errors';
import type { ReplyQueue } from '../../src/relay/ports/reply-queue';
import { memoryParts, quietLog, THREAD, threadReply } from '../support/domain-parts';
import { RecordingFeedback } from '../support/recording-feedback';
import { TestClock } from '../support/test-clock';

const sessionUrl = (id: string) => `https://app.devin.ai/sessions/${id}`;

describe('AttemptEndings', () => {
  let queue: ReplyQueue;
  let close: () => Promise<void>;
  let feedback: RecordingFeedback;
  let events: string[];
  let endings: AttemptEndings;
  beforeEach(async () => {
    ({ queue, close } = await memoryParts());
    feedback = new RecordingFeedback();
    events = [];
    const reports = new DeliveryReports({ queue, feedback, clock: new TestClock(), log: quietLog(), sessionUrl });
    endings = new AttemptEndings({
      queue,
      log: quietLog(),
      reports,
      events: {
        sending: async () => undefined,
        delivered: async (id, reply, outcome) =>
          void events.push(`delivered ${id} ${reply.id} ${outcome?.woke ?? false}`),
        held: async (id) => void events.push(`held ${id}`),
      },
    });
    await queue.record(threadReply(1));
    await queue.record(threadReply(2));
  });
  afterEach(() => close());

  it('takes a delivered reply out of the queue, marks it and goes on to the next', async () => {
    const head = threadReply(1, { attempts: 1 });
    expect(await endings.apply('devin-s1', head, { kind: 'delivered', woke: true })).toBe(true);
    expect((await queue.list('devin-s1')).map((r) => r.id)).toEqual(['T1:C1:100.2']);
    expect(feedback.of('receipt').map((t) => [t.message.ts, t.receipt])).toEqual([['100.1', 'delivered']]);
    expect(events).toEqual(['delivered devin-s1 T1:C1:100.1 true']);
  });

  it('holds every waiting reply of a session that cannot take them, with one notice in their thread', async () => {
    const detail = 'Session is suspended';
    expect(await endings.apply('devin-s1', threadReply(1), { kind: 'not-running', detail })).toBe(false);
    expect((await queue.list('devin-s1')).map((r) => r.state)).toEqual(['held', 'held']);
    expect(feedback.of('open-notice').map((t) => [t.thread, t.notice])).toEqual([
      [THREAD, { kind: 'paused', sessionId: 'devin-s1', sessionUrl: sessionUrl('devin-s1'), detail, held: 2 }],
    ]);
    expect(events).toEqual(['held devin-s1']);
  });

  it('fails the waiting replies when the key is refused, naming the permission Devin said is missing', async () => {
    const error = new DevinApiError('refused', 403, 'forbidden', undefined, { permission: 'ManageOrgSessions' });
    await endings.apply('devin-s1', threadReply(1), { kind: 'unauthorized', error });
    expect((await queue.list('devin-s1')).map((r) => [r.state, r.problem])).toEqual([
      ['failed', 'misconfigured:ManageOrgSessions'],
      ['failed', 'misconfigured:ManageOrgSessions'],
    ]);
    expect(feedback.of('open-notice')[0]?.notice).toMatchObject({
      kind: 'misconfigured',
      permission: 'ManageOrgSessions',
    });
  });

  it('drops only the reply Devin rejected, tells its thread why, and goes on', async () => {
    const error = new DevinApiError('rejected', 422, 'message too long');
    expect(await endings.apply('devin-s1', threadReply(1), { kind: 'rejected', error })).toBe(true);
    expect((await queue.list('devin-s1')).map((r) => r.id)).toEqual(['T1:C1:100.2']);
    expect(feedback.of('tell').map((t) => t.notice)).toEqual([
      { kind: 'rejected', sessionId: 'devin-s1', sessionUrl: sessionUrl('devin-s1'), detail: 'message too long' },
    ]);
  });

  it('reports every reply of a session Devin no longer knows as gone, and fails them when retries ran out', async () => {
    await endings.apply('devin-s1', threadReply(1), { kind: 'unknown-session' });
    expect(await queue.list('devin-s1')).toEqual([]);
    expect(feedback.of('receipt').map((t) => t.receipt)).toEqual(['gone', 'gone']);
    await queue.record(threadReply(3));
    const error = new DevinNetworkError('no answer', 'TIMEOUT');
    await endings.apply('devin-s1', threadReply(3), { kind: 'exhausted', error, attempts: 4 });
    expect((await queue.list('devin-s1')).map((r) => r.problem)).toEqual([
      "Devin's API could not be reached after 4 attempts (no answer)",
    ]);
  });
});
