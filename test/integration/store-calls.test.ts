import { Harness } from '../support/harness';
import { Scrape } from '../support/scrape';

const M = (name: string) => `devin_slack_${name}`;

let h: Harness;
afterEach(() => h?.close());

describe.each([
  ['SQLite', undefined],
  ['memory', 'memory://'],
])('store calls per reply on %s', (_name, storeUrl) => {
  beforeEach(async () => {
    h = await Harness.start(storeUrl ? { storeUrl } : {});
  });

  it("makes at most 5 store calls from a lone reply's Slack event to Devin's acceptance, and says so in /metrics", async () => {
    const { sessionId, threadTs } = await h.linkedThread();
    const before = await Scrape.of(h.baseUrl);
    const ts = await h.reply(threadTs, 'one lone reply');
    await h.devin.waitForDelivered(sessionId, 1);
    await h.waitForReaction(ts, 'white_check_mark');
    await h.idle();
    const after = await Scrape.of(h.baseUrl);
    const moved = (name: string) => after.value(M(name)) - before.value(M(name));
    expect(moved('reply_store_calls_count')).toBe(1);
    // The binding read, the record (claims, caps, and the held replies woken), the head of the queue, the words'
    // fingerprint against echoes, and the attempt's mark before the request goes out.
    expect(moved('reply_store_calls_sum')).toBe(5);
    expect(h.devin.delivered(sessionId)).toEqual(['Alice (@alice, U1) via Slack: one lone reply']);
  });
});
