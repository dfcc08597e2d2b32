import type { SessionMessage } from '../../src/relay/model/devin-session';
import type { SendOptions, SendResult } from '../../src/relay/ports/devin';
import { DevinApiError, DevinNetworkError } from '../../src/relay/ports/devin-errors';
import type { ReplyQueue } from '../../src/relay/ports/reply-queue';
import { sendWithRetries } from '../../src/relay/send-with-retries';
import { memoryParts, quietLog, threadReply } from '../support/domain-parts';
import { TestClock } from '../support/test-clock';

/** Devin's side of the port, as sendWithRetries uses it: each send answers the next of `answers`. */
function devinAnswering(answers: Array<SendResult | Error>, listed: SessionMessage[] = []) {
  const sent: Array<{ text: string; options: SendOptions | undefined }> = [];
  return {
    sent,
    devin: {
      async sendMessage(_sessionId: string, text: string, options?: SendOptions): Promise<SendResult> {
        sent.push({ text, options });
        const answer = answers.shift() ?? { kind: 'delivered' };
        if (answer instanceof Error) throw answer;
        return answer;
      },
      async listMessages() {
        return { messages: listed, malformedMessages: 0 };
      },
    },
  };
}

describe('sendWithRetries', () => {
  let queue: ReplyQueue;
  let close: () => Promise<void>;
  let clock: TestClock;
  let retrying: string[];
  beforeEach(async () => {
    ({ queue, close } = await memoryParts());
    clock = new TestClock();
    retrying = [];
  });
  afterEach(() => close());

  const deps = (devin: ReturnType<typeof devinAnswering>['devin'], retryWindowMs = 120_000) => ({
    devin,
    queue,
    clock,
    log: quietLog(),
    retryWindowMs,
    onRetrying: (reply: { id: string }) => void retrying.push(reply.id),
    mayAttempt: async () => true,
    maySend: () => true,
  });

  it('sends a reply with its files beside its words, and records the attempt before the request goes out', async () => {
    const reply = threadReply(1, {
      attachments: [
        { key: 'F1', name: 'a.log', url: 'https://storage.devin.ai/attachments/1/a.log' },
        { key: 'F2', name: 'b.bin', problem: 'over the limit' },
      ],
    });
    await queue.record(reply);
    const { devin, sent } = devinAnswering([{ kind: 'delivered' }]);
    expect(await sendWithRetries(reply, deps(devin))).toEqual({ kind: 'delivered' });
    expect(sent).toEqual([
      { text: 'reply 1', options: { attachmentUrls: ['https://storage.devin.ai/attachments/1/a.log'] } },
    ]);
    expect((await queue.list('devin-s1'))[0]).toMatchObject({ attempts: 1, uncertain: true });
  });

  it('tries again after trouble that may pass, telling the author once, then delivers', async () => {
    const reply = threadReply(1);
    await queue.record(reply);
    const { devin, sent } = devinAnswering([new DevinApiError('down', 503), new DevinApiError('down', 503)]);
    expect(await sendWithRetries(reply, deps(devin))).toEqual({ kind: 'delivered' });
    expect(sent).toHaveLength(3);
    expect(retrying).toEqual([reply.id]);
    expect(clock.sleeps).toHaveLength(2);
  });

  it('looks for a reply in the session after an attempt without a clear answer, and never sends it twice', async () => {
    const reply = threadReply(1, {
      text: 'please add tests',
      uncertain: true,
      attempts: 1,
      firstAttemptAt: clock.now(),
    });
    await queue.record(reply);
    const echo: SessionMessage = {
      id: 'ev1',
      from: 'person',
      text: 'please  add tests',
      at: new Date(clock.now()).toISOString(),
      attachments: [],
    };
    const { devin, sent } = devinAnswering([], [echo]);
    expect(await sendWithRetries(reply, deps(devin))).toEqual({ kind: 'delivered' });
    expect(sent).toEqual([]);
  });

  it('stops when the retry window would pass, with the last error and the attempts made', async () => {
    const reply = threadReply(1);
    await queue.record(reply);
    const { devin } = devinAnswering(Array.from({ length: 10 }, () => new DevinNetworkError('no answer', 'TIMEOUT')));
    const attempt = await sendWithRetries(reply, deps(devin, 3_000));
    expect(attempt).toMatchObject({ kind: 'exhausted', error: { code: 'TIMEOUT' } });
  });

  it('gives a refused key and a rejected reply back at once, without retrying', async () => {
    const reply = threadReply(1);
    await queue.record(reply);
    const refused = devinAnswering([new DevinApiError('refused', 401)]);
    expect(await sendWithRetries(reply, deps(refused.devin))).toMatchObject({ kind: 'unauthorized' });
    const rejected = devinAnswering([new DevinApiError('too long', 422, 'message too long')]);
    expect(await sendWithRetries(reply, deps(rejected.devin))).toMatchObject({ kind: 'rejected' });
    expect(retrying).toEqual([]);
  });

  it('sends nothing when the reply changed since it was read, or the lease is gone', async () => {
    const reply = threadReply(1);
    const { devin, sent } = devinAnswering([]);
    expect(await sendWithRetries(reply, deps(devin))).toEqual({ kind: 'changed' });
    await queue.record(reply);
    expect(await sendWithRetries(reply, { ...deps(devin), mayAttempt: async () => false })).toMatchObject({
      kind: 'stopped',
    });
    expect(sent).toEqual([]);
  });
});
