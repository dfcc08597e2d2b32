import type { PollMark, SessionWatch } from '../../src/relay/model/session-watch';
import type { Binding } from '../../src/relay/model/threads';
import { NewsPoster } from '../../src/relay/news-poster';
import type { Store } from '../../src/relay/ports/store';
import { PostProgress } from '../../src/relay/post-progress';
import { RelayedTexts } from '../../src/relay/relayed-texts';
import type { SessionNews } from '../../src/relay/session-news';
import { SessionWatches } from '../../src/relay/session-watches';
import { ThreadBindings } from '../../src/relay/thread-bindings';
import { StoreLock } from '../../src/store/store-lock';
import { memoryParts, quietLog, THREAD } from '../support/domain-parts';
import { RecordingFeedback } from '../support/recording-feedback';

const mark = (index: number): PollMark => ({ index, eventId: `e${index}` });
const devinSays = (index: number, text: string, attachments: string[] = []): SessionNews => ({
  kind: 'devin',
  eventId: `e${index}`,
  mark: mark(index),
  text,
  attachments,
});

describe('NewsPoster', () => {
  let store: Store;
  let close: () => Promise<void>;
  let feedback: RecordingFeedback;
  let bindings: ThreadBindings;
  let watches: SessionWatches;
  let relayed: RelayedTexts;
  let progress: PostProgress;
  let shared: string[];
  let poster: NewsPoster;
  const watch: SessionWatch = { sessionId: 'devin-s1', quietPolls: 0, nextPollAt: 0 };
  const binding: Binding = { ...THREAD, sessionId: 'devin-s1', sessionUrl: 'https://x', boundAt: 1 };

  beforeEach(async () => {
    ({ store, close } = await memoryParts());
    feedback = new RecordingFeedback(10);
    bindings = new ThreadBindings(store, new StoreLock(store));
    await bindings.bind(binding);
    relayed = new RelayedTexts(store, () => 0);
    progress = new PostProgress(store);
    watches = new SessionWatches({ store, relayed, progress, log: quietLog() });
    shared = [];
    const files = { share: async (_thread: unknown, url: string) => void shared.push(url) };
    poster = new NewsPoster({ bindings, watches, relayed, progress, slack: feedback, files });
  });
  afterEach(() => close());

  const inThreads = async () => bindings.bindingsOf('devin-s1');

  it("posts each of Devin's messages in order, its chunks then its files, and saves the mark after each", async () => {
    const news = [devinSays(0, 'first message'), devinSays(1, 'see files', ['https://files/a', 'https://files/b'])];
    await poster.post('devin-s1', { news, end: mark(1) }, watch, inThreads);
    expect(feedback.of('post').map((p) => p.text)).toEqual(['first mess', 'age', 'see files']);
    expect(shared).toEqual(['https://files/a', 'https://files/b']);
    expect((await watches.get('devin-s1'))?.mark).toEqual(mark(1));
    expect(await progress.get('devin-s1')).toBeUndefined();
  });

  it('shows a message that only attaches files as the files, and counts what a muted thread skipped', async () => {
    await poster.post('devin-s1', { news: [devinSays(0, '', ['https://files/a'])], end: mark(0) }, watch, inThreads);
    expect(feedback.of('post')).toEqual([]);
    expect(shared).toEqual(['https://files/a']);
    await bindings.update(THREAD, { muted: true });
    await poster.post('devin-s1', { news: [devinSays(1, 'hello')], end: mark(1) }, watch, inThreads);
    expect(feedback.of('post')).toEqual([]);
    expect(await bindings.forThread(THREAD)).toMatchObject({ skippedWhileMuted: 1 });
  });

  it('resumes a message stopped half way where it stopped: no chunk is posted twice', async () => {
    const news = [devinSays(0, 'one two three four')];
    // The second chunk fails: the first is recorded as done, and the mark is not saved.
    const failing = new RecordingFeedback(10);
    let calls = 0;
    const flaky = {
      sessionMessageChunks: (m: { markdown: string }) => failing.sessionMessageChunks(m),
      postInThread: async (thread: typeof THREAD, text: string) => {
        calls += 1;
        if (calls === 2) throw new Error('rate limited for too long');
        await failing.postInThread(thread, text);
      },
    };
    const stopping = new NewsPoster({ bindings, watches, relayed, progress, slack: flaky });
    await expect(stopping.post('devin-s1', { news, end: mark(0) }, watch, inThreads)).rejects.toThrow('rate limited');
    expect(await progress.get('devin-s1')).toEqual({ eventId: 'e0', done: ['C1:100.0:0'] });
    expect((await watches.get('devin-s1'))?.mark).toBeUndefined();
    await stopping.post('devin-s1', { news, end: mark(0) }, watch, inThreads);
    expect(failing.of('post').map((p) => p.text)).toEqual(['one two th', 'ree four']);
    expect(feedback.of('post')).toEqual([]);
  });

  it('forgets the relayed texts an echo matched once the saved mark is past it, and posts no echo', async () => {
    await relayed.add('devin-s1', 'please add tests');
    const [echo] = await relayed.list('devin-s1');
    const news: SessionNews[] = [{ kind: 'echo', eventId: 'e0', mark: mark(0), relayed: echo?.id as string }];
    await poster.post('devin-s1', { news, end: mark(0) }, watch, inThreads);
    expect(await relayed.list('devin-s1')).toEqual([]);
    expect(feedback.of('post')).toEqual([]);
    expect((await watches.get('devin-s1'))?.mark).toEqual(mark(0));
  });

  it('reads no thread when the news holds no message to post', async () => {
    let read = 0;
    const counting = async () => {
      read += 1;
      return inThreads();
    };
    await poster.post(
      'devin-s1',
      { news: [{ kind: 'skip', eventId: 'e0', mark: mark(0) }], end: mark(0) },
      watch,
      counting,
    );
    expect(read).toBe(0);
  });
});
