import { DeliveryFollowUp } from '../../src/relay/delivery-follow-up';
import type { Store } from '../../src/relay/ports/store';
import { PostProgress } from '../../src/relay/post-progress';
import { RelayedTexts } from '../../src/relay/relayed-texts';
import { fingerprint } from '../../src/relay/session-news';
import { SessionWatches } from '../../src/relay/session-watches';
import { memoryParts, quietLog, THREAD, threadReply } from '../support/domain-parts';
import { RecordingFeedback } from '../support/recording-feedback';

describe('DeliveryFollowUp', () => {
  let store: Store;
  let close: () => Promise<void>;
  let now: number;
  let watches: SessionWatches;
  let relayed: RelayedTexts;
  let feedback: RecordingFeedback;
  let followUp: DeliveryFollowUp;
  beforeEach(async () => {
    ({ store, close } = await memoryParts());
    now = 1_000_000;
    relayed = new RelayedTexts(store, () => now);
    watches = new SessionWatches({ store, relayed, progress: new PostProgress(store), log: quietLog() });
    feedback = new RecordingFeedback();
    const sessionUrl = (id: string) => `https://app.devin.ai/sessions/${id}`;
    followUp = new DeliveryFollowUp({ watches, relayed, slack: feedback, now: () => now, sessionUrl, soonMs: 5_000 });
  });
  afterEach(() => close());

  it("remembers a reply's words before it goes, so that the session's copy is known as an echo", async () => {
    await followUp.sending('devin-s1', 'please add tests');
    expect((await relayed.list('devin-s1')).map((r) => r.fingerprint)).toEqual([fingerprint('please add tests')]);
  });

  it('brings the next poll forward after a delivery, and names who steered the session last', async () => {
    await watches.schedule.set('devin-s1', now + 60_000);
    await followUp.delivered('devin-s1', threadReply(1, { draft: { user: 'U7', text: 'x' } }));
    expect(await watches.schedule.dueAt('devin-s1')).toBe(now + 5_000);
    expect(await watches.lastSteerer('devin-s1')).toBe('U7');
  });

  it('remembers woken sessions up to its bound: sessions that ended (never seen asleep) do not pile up', async () => {
    const bounded = new DeliveryFollowUp({
      watches,
      relayed,
      slack: feedback,
      now: () => now,
      sessionUrl: (id) => `https://app.devin.ai/sessions/${id}`,
      soonMs: 5_000,
      maxWoken: 2,
    });
    const reply = threadReply(1);
    for (const session of ['devin-s1', 'devin-s2', 'devin-s3']) await bounded.delivered(session, reply, { woke: true });
    // s2 and s3 are remembered (told once); s1 was forgotten, so a reply that wakes it again is told of again.
    for (const session of ['devin-s3', 'devin-s2', 'devin-s1']) await bounded.delivered(session, reply, { woke: true });
    expect(feedback.of('tell')).toHaveLength(4);
  });

  it('tells the thread once that its reply woke the session, and again only after polling saw it asleep', async () => {
    const reply = threadReply(1);
    await followUp.delivered('devin-s1', reply, { woke: true });
    await followUp.delivered('devin-s1', reply, { woke: true });
    expect(feedback.of('tell').map((t) => [t.thread, t.notice.kind])).toEqual([[THREAD, 'woke']]);
    followUp.asleep('devin-s1');
    await followUp.delivered('devin-s1', reply, { woke: true });
    expect(feedback.of('tell')).toHaveLength(2);
  });

  it('marks a held reply for the next poll that finds the session working', async () => {
    await followUp.held('devin-s1');
    expect(await watches.heldWaiting('devin-s1')).toBe(true);
  });
});
