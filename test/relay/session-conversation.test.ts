import type { SessionSnapshot } from '../../src/relay/model/devin-session';
import type { SessionWatch } from '../../src/relay/model/session-watch';
import type { Binding } from '../../src/relay/model/threads';
import { NewsPoster } from '../../src/relay/news-poster';
import { NewsReader } from '../../src/relay/news-reader';
import type { Store } from '../../src/relay/ports/store';
import { PostProgress } from '../../src/relay/post-progress';
import { RelayedTexts } from '../../src/relay/relayed-texts';
import { SessionConversation } from '../../src/relay/session-conversation';
import { SessionWatches } from '../../src/relay/session-watches';
import { StateDisplay } from '../../src/relay/state-display';
import { ThreadBindings } from '../../src/relay/thread-bindings';
import { StoreLock } from '../../src/store/store-lock';
import { memoryParts, quietLog, THREAD } from '../support/domain-parts';
import { RecordingFeedback } from '../support/recording-feedback';

const sessionUrl = (id: string) => `https://app.devin.ai/sessions/${id}`;
const snapshot = (extra: Partial<SessionSnapshot>): SessionSnapshot => ({
  id: 'devin-s1',
  status: 'running',
  pullRequests: [],
  messages: [],
  malformedMessages: 0,
  ...extra,
});

describe('SessionConversation', () => {
  let store: Store;
  let close: () => Promise<void>;
  let feedback: RecordingFeedback;
  let watches: SessionWatches;
  let woken: string[];
  let asleep: string[];
  let conversation: SessionConversation;
  beforeEach(async () => {
    ({ store, close } = await memoryParts());
    feedback = new RecordingFeedback();
    const bindings = new ThreadBindings(store, new StoreLock(store));
    const binding: Binding = { ...THREAD, sessionId: 'devin-s1', sessionUrl: sessionUrl('devin-s1'), boundAt: 1 };
    await bindings.bind(binding);
    const relayed = new RelayedTexts(store, () => 0);
    const progress = new PostProgress(store);
    watches = new SessionWatches({ store, relayed, progress, log: quietLog() });
    woken = [];
    asleep = [];
    conversation = new SessionConversation({
      bindings,
      watches,
      reader: new NewsReader({ relayed }),
      poster: new NewsPoster({ bindings, watches, relayed, progress, slack: feedback }),
      display: new StateDisplay({ ends: { endedBy: async () => undefined }, watches, slack: feedback, sessionUrl }),
      followUp: { asleep: (id) => void asleep.push(id) },
      held: { wake: async (id) => void woken.push(id) },
      slack: feedback,
      log: quietLog(),
      sessionUrl,
    });
  });
  afterEach(() => close());

  const watch = (extra: Partial<SessionWatch> = {}): SessionWatch => ({
    sessionId: 'devin-s1',
    quietPolls: 0,
    nextPollAt: 0,
    ...extra,
  });

  it("posts Devin's news, shows the state, and says what changed and where the next read starts", async () => {
    const session = snapshot({
      state: 'waiting',
      messages: [{ id: 'e0', from: 'devin', text: 'Which database?', at: '', attachments: [] }],
    });
    const outcome = await conversation.update(session, watch({ state: 'working' }));
    expect(outcome).toEqual({ changed: true, mark: { index: 0, eventId: 'e0', timestamp: '' }, messages: 1 });
    expect(feedback.of('post').map((p) => p.text)).toEqual(['Which database?']);
    expect(feedback.of('tell').map((t) => t.notice.kind)).toEqual(['waiting']);
  });

  it('sends the held replies when the session works again, and only then', async () => {
    await conversation.update(snapshot({ state: 'working' }), watch({ state: 'working' }));
    expect(woken).toEqual([]);
    await conversation.update(snapshot({ state: 'working' }), watch({ state: 'asleep' }));
    expect(woken).toEqual(['devin-s1']);
    await watches.holdWaiting('devin-s1');
    await conversation.update(snapshot({ state: 'working' }), watch({ state: 'working' }));
    expect(woken).toEqual(['devin-s1', 'devin-s1']);
  });

  it('lets the follow-up know when a poll sees the session asleep', async () => {
    await conversation.update(snapshot({ state: 'asleep' }), watch({ state: 'working' }));
    expect(asleep).toEqual(['devin-s1']);
  });

  it('tells every thread of a session Devin no longer knows', async () => {
    await conversation.gone('devin-s1');
    expect(feedback.of('tell').map((t) => [t.thread.threadTs, t.notice])).toEqual([
      ['100.0', { kind: 'gone', sessionId: 'devin-s1', sessionUrl: sessionUrl('devin-s1') }],
    ]);
  });
});
