import type { TerminateResult } from '../../src/relay/ports/devin';
import { DevinApiError } from '../../src/relay/ports/devin-errors';
import type { Store } from '../../src/relay/ports/store';
import { PostProgress } from '../../src/relay/post-progress';
import { RelayedTexts } from '../../src/relay/relayed-texts';
import { SessionEnds } from '../../src/relay/session-ends';
import { SessionWatches } from '../../src/relay/session-watches';
import { ThreadBindings } from '../../src/relay/thread-bindings';
import { StoreLock } from '../../src/store/store-lock';
import { memoryParts, quietLog, THREAD } from '../support/domain-parts';
import { RecordingFeedback } from '../support/recording-feedback';
import { TestClock } from '../support/test-clock';

describe('SessionEnds', () => {
  let store: Store;
  let close: () => Promise<void>;
  let feedback: RecordingFeedback;
  let watches: SessionWatches;
  let answers: Array<TerminateResult | Error>;
  let terminated: number;
  let ends: SessionEnds;
  const ada = { userId: 'U1', name: 'Ada' };
  beforeEach(async () => {
    ({ store, close } = await memoryParts());
    feedback = new RecordingFeedback();
    const bindings = new ThreadBindings(store, new StoreLock(store));
    await bindings.bind({
      ...THREAD,
      sessionId: 'devin-s1',
      sessionUrl: 'x',
      boundAt: 1,
      statusTs: '100.0',
      statusHeader: 'h',
    });
    watches = new SessionWatches({
      store,
      relayed: new RelayedTexts(store, () => 0),
      progress: new PostProgress(store),
      log: quietLog(),
    });
    answers = [];
    terminated = 0;
    const devin = {
      terminateSession: async (): Promise<TerminateResult> => {
        terminated += 1;
        const answer = answers.shift() ?? { kind: 'terminated' };
        if (answer instanceof Error) throw answer;
        return answer;
      },
    };
    ends = new SessionEnds({
      store,
      devin,
      bindings,
      watches,
      slack: feedback,
      clock: new TestClock(),
      log: quietLog(),
    });
  });
  afterEach(() => close());

  it('ends a session once, tells its threads who ended it, and shows it on the root message', async () => {
    expect(await ends.end('devin-s1', ada)).toEqual({ kind: 'ended' });
    expect(await ends.end('devin-s1', { userId: 'U2', name: 'Grace' })).toEqual({ kind: 'already-ended', by: 'Ada' });
    expect(terminated).toBe(1);
    expect(feedback.of('tell').map((t) => t.notice)).toEqual([{ kind: 'ended', by: 'Ada' }]);
    expect(feedback.of('status').map((t) => t.view)).toEqual([{ state: 'finished', endedBy: 'Ada' }]);
    expect(feedback.of('working').map((t) => t.working)).toEqual([false]);
    expect(await ends.endedBy('devin-s1')).toMatchObject(ada);
  });

  it('leaves End session working after Devin failed, with the reason in one sentence', async () => {
    answers.push(new DevinApiError('down', 503));
    expect(await ends.end('devin-s1', ada)).toEqual({ kind: 'failed', reason: expect.stringContaining('HTTP 503') });
    expect(await ends.end('devin-s1', ada)).toEqual({ kind: 'ended' });
    expect(terminated).toBe(2);
  });

  it('says a session that had ended is so, tells nobody, and polls it once more', async () => {
    answers.push({ kind: 'already-ended', detail: 'Session has already exited' });
    expect(await ends.end('devin-s1', ada)).toEqual({ kind: 'already-ended' });
    expect(await watches.schedule.dueAt('devin-s1')).toBeDefined();
    expect(feedback.of('tell')).toEqual([]);
  });

  it('says so of a session Devin no longer knows, and holds the end for the press that asked meanwhile', async () => {
    answers.push({ kind: 'unknown-session' });
    expect(await ends.end('devin-s1', ada)).toEqual({ kind: 'gone' });
    expect(await ends.end('devin-s1', ada)).toEqual({ kind: 'ending' });
    expect(terminated).toBe(1);
  });

  it('does not ask Devin to end a session polling already saw end', async () => {
    await watches.save({ sessionId: 'devin-s1', state: 'expired', quietPolls: 0, nextPollAt: 0 });
    expect(await ends.end('devin-s1', ada)).toEqual({ kind: 'already-ended' });
    expect(terminated).toBe(0);
  });
});
