import type { SessionSnapshot } from '../../src/relay/model/devin-session';
import type { SessionWatch } from '../../src/relay/model/session-watch';
import type { Binding } from '../../src/relay/model/threads';
import { StateDisplay } from '../../src/relay/state-display';
import { THREAD } from '../support/domain-parts';
import { RecordingFeedback } from '../support/recording-feedback';

const sessionUrl = (id: string) => `https://app.devin.ai/sessions/${id}`;
const bound: Binding = {
  ...THREAD,
  sessionId: 'devin-s1',
  sessionUrl: 'x',
  boundAt: 1,
  boundBy: 'UBOSS',
  statusTs: '100.0',
};
const snapshot = (extra: Partial<SessionSnapshot>): SessionSnapshot => ({
  id: 'devin-s1',
  status: 'running',
  pullRequests: [],
  messages: [],
  malformedMessages: 0,
  ...extra,
});
const watch = (extra: Partial<SessionWatch> = {}): SessionWatch => ({
  sessionId: 'devin-s1',
  quietPolls: 0,
  nextPollAt: 0,
  ...extra,
});

describe('StateDisplay', () => {
  let feedback: RecordingFeedback;
  let changed: string[];
  let endedBy: string | undefined;
  let display: StateDisplay;
  const threads = async () => [bound];
  beforeEach(() => {
    feedback = new RecordingFeedback();
    changed = [];
    endedBy = undefined;
    display = new StateDisplay({
      ends: { endedBy: async () => (endedBy ? { userId: 'U1', name: endedBy, at: 1 } : undefined) },
      watches: { lastSteerer: async () => 'USTEER' },
      slack: feedback,
      sessionUrl,
      onStatusChange: (id, state) => void changed.push(`${id} ${state}`),
    });
  });

  it("updates the root message when the state changes, and tells the thread's people who must answer", async () => {
    const shown = await display.show(
      snapshot({ state: 'waiting', title: 'Fix login' }),
      watch({ state: 'working' }),
      threads,
    );
    expect(shown).toBe(true);
    expect(feedback.of('status').map((t) => t.view)).toEqual([{ state: 'waiting', title: 'Fix login' }]);
    expect(feedback.of('tell').map((t) => t.notice)).toEqual([
      { kind: 'waiting', sessionUrl: sessionUrl('devin-s1'), mention: ['UBOSS', 'USTEER'] },
    ]);
    expect(feedback.of('working').map((t) => t.working)).toEqual([false]);
    expect(changed).toEqual(['devin-s1 waiting']);
  });

  it('changes nothing when the session goes on as it was, and keeps the working indicator shown', async () => {
    expect(await display.show(snapshot({ state: 'working' }), watch({ state: 'working' }), threads)).toBe(false);
    expect(feedback.of('status')).toEqual([]);
    expect(feedback.of('working').map((t) => t.working)).toEqual([true]);
  });

  it('marks a session that finished with a pull request as a success, and one that expired as a failure', async () => {
    const pr = { url: 'https://github.com/o/r/pull/1' };
    await display.show(snapshot({ state: 'finished', pullRequests: [pr] }), watch({ state: 'working' }), threads);
    expect(feedback.of('outcome').map((t) => t.outcome)).toEqual(['succeeded']);
    expect(feedback.of('tell').map((t) => t.notice.kind)).toEqual(['finished']);
    await display.show(snapshot({ state: 'expired' }), watch({ state: 'working' }), threads);
    expect(feedback.of('outcome').map((t) => t.outcome)).toEqual(['succeeded', 'failed']);
  });

  it('counts a last word from Devin as a success, unless someone ended the session from Slack', async () => {
    const summary = snapshot({
      state: 'finished',
      messages: [{ id: 'e1', from: 'devin', text: 'Done.', at: '', attachments: [] }],
    });
    await display.show(summary, watch({ state: 'working' }), threads);
    expect(feedback.of('outcome').map((t) => t.outcome)).toEqual(['succeeded']);
    endedBy = 'Ada';
    feedback.told.length = 0;
    await display.show(summary, watch({ state: 'working' }), threads);
    expect(feedback.of('outcome')).toEqual([]);
    expect(feedback.of('status')[0]?.view).toMatchObject({ endedBy: 'Ada' });
    expect(feedback.of('tell')).toEqual([]);
  });

  it('shows a new pull request, a new title and more spend without telling anyone that the state changed', async () => {
    const before = watch({ state: 'working', acusConsumed: 1, title: 'Old' });
    await display.show(snapshot({ state: 'working', acusConsumed: 1.5, title: 'New' }), before, threads);
    expect(feedback.of('status').map((t) => t.view)).toEqual([{ state: 'working', acusConsumed: 1.5, title: 'New' }]);
    expect(feedback.of('tell')).toEqual([]);
  });

  it('keeps the notices from a muted thread, but still shows its state', async () => {
    const muted = async () => [{ ...bound, muted: true }];
    await display.show(snapshot({ state: 'waiting' }), watch({ state: 'working' }), muted);
    expect(feedback.of('tell')).toEqual([]);
    expect(feedback.of('status')).toHaveLength(1);
  });
});
