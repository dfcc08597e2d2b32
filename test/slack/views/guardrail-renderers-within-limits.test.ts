import fc from 'fast-check';
import type { Notice } from '../../../src/relay/model/notices';
import type { NeedsYouItem } from '../../../src/slack/access/needs-you';
import type { ListedSession } from '../../../src/slack/access/session-list';
import { costMessage } from '../../../src/slack/views/cost-blocks';
import { digestMessage, reminderMessage } from '../../../src/slack/views/digest-blocks';
import { homeView } from '../../../src/slack/views/home-view';
import { needsYouBlocks } from '../../../src/slack/views/needs-you-blocks';
import { minimalNotice, renderNotice } from '../../../src/slack/views/notice-blocks';
import { renderRoot } from '../../../src/slack/views/root-blocks';
import { fuzzRuns } from '../../support/fuzz';
import { limitBreach, responseBreach } from '../../support/slack-limits';
import type { Json } from '../../support/slack-signing';

// Spending and attention renderers (the meter, the cap and budget notices, the closing summary, /devin cost, the
// digest and Needs you) with hostile data: long, non-Latin, emoji, `<>&`, Slack markup. Slack takes every one.

const PIECES = [
  'word ',
  '\n',
  '<',
  '>',
  '&',
  '<!channel>',
  '<@U123|bob>',
  '*bold* ',
  '`code` ',
  '本番環境 ',
  'مرحبا ',
  '🚀',
  '👩🏽‍💻 ',
  'x'.repeat(120),
];
const hostile = (most: number) =>
  fc.array(fc.constantFrom(...PIECES), { maxLength: most, size: 'max' }).map((pieces) => pieces.join(''));
const anyText = fc.oneof(hostile(20), hostile(400), fc.string({ unit: 'grapheme', maxLength: 300 }));
const anyUrl = fc.oneof(fc.webUrl(), fc.constant(`https://github.com/acme/${'r'.repeat(600)}/pull/1`), hostile(3));
const amount = fc.double({ min: 0, max: 1e7, noNaN: true });
const SESSION_ID = 'devin-0123456789abcdef0123456789abcdef';
const SESSION_URL = 'https://app.devin.ai/sessions/0123456789abcdef0123456789abcdef';

const notice: fc.Arbitrary<Notice> = fc.oneof(
  fc
    .record({
      spent: amount,
      cap: fc.integer({ min: 1, max: 1e6 }),
      mention: fc.array(fc.constantFrom('U1', 'U9', '<!here>'), { maxLength: 60 }),
    })
    .map((n) => ({ kind: 'cap-near' as const, sessionUrl: SESSION_URL, ...n })),
  fc
    .record({
      outcome: fc.constantFrom('unsupported', 'refused', 'invalid' as const),
      asked: fc.integer({ min: 1, max: 9_999_999 }),
    })
    .map((n) => ({ kind: 'cap-raise' as const, sessionUrl: SESSION_URL, ...n })),
  fc
    .record({
      outcome: fc.constantFrom('finished', 'expired', 'error', 'ended' as const),
      endedBy: fc.option(anyText, { nil: undefined }),
      pullRequests: fc.array(fc.record({ url: anyUrl, state: anyText }), { maxLength: 60, size: 'max' }),
      acusConsumed: fc.option(amount, { nil: undefined }),
      cap: fc.option(fc.integer({ min: 1, max: 1e6 }), { nil: undefined }),
      durationMs: fc.nat(),
      insights: fc.option(fc.array(anyText, { maxLength: 20 }), { nil: undefined }),
    })
    .map((n) => {
      const fields = Object.fromEntries(Object.entries(n).filter(([, v]) => v !== undefined));
      return { kind: 'closing-summary' as const, sessionUrl: SESSION_URL, ...(fields as typeof n) };
    }),
  fc
    .record({ limit: fc.integer({ min: 1, max: 1e7 }), retryAt: fc.nat() })
    .map((n) => ({ kind: 'start-limited' as const, scope: 'channel-budget' as const, ...n })),
);

const listed: fc.Arbitrary<ListedSession[]> = fc
  .array(fc.record({ title: anyText, approval: fc.boolean() }), { maxLength: 25, size: 'max' })
  .map((sessions) =>
    sessions.map(({ title, approval }, i) => ({
      sessionId: `${SESSION_ID.slice(0, -2)}${String(i).padStart(2, '0')}`,
      sessionUrl: SESSION_URL,
      title,
      state: 'waiting' as const,
      ...(approval ? { approval } : {}),
      lastActivityAt: 1_714_555_800_000,
      waiting: { total: 3, held: 2, failed: 1 },
      thread: { channel: 'C1', threadTs: '1714555800.000100', permalink: 'https://acme.slack.com/archives/C1/p1' },
    })),
  );

function expectTaken(method: string, args: object): void {
  const breach = method === 'response_url' ? responseBreach(args) : limitBreach(method, args as Json);
  expect(breach).toBeUndefined();
}

describe('spending and attention renderers keep Slack limits, whatever the data', () => {
  it('the meter on the root message', () => {
    fc.assert(
      fc.property(anyText, amount, fc.integer({ min: 1, max: 1e6 }), (title, spent, cap) => {
        const view = { state: 'working' as const, title, acusConsumed: spent, acuCap: cap };
        const root = renderRoot({ header: 'header', view, sessionId: SESSION_ID, sessionUrl: SESSION_URL });
        expectTaken('chat.update', { channel: 'C1', ts: '1.1', ...root });
      }),
      fuzzRuns(100),
    );
  });

  it('the cap and budget notices and the closing summary, and their minimal form', () => {
    fc.assert(
      fc.property(notice, (told) => {
        const rendered = renderNotice(told);
        for (const method of ['chat.postMessage', 'chat.postEphemeral']) {
          expectTaken(method, { channel: 'C1', ts: '1.1', user: 'U1', ...rendered });
        }
        expectTaken('chat.update', { channel: 'C1', ts: '1.1', ...minimalNotice(told) });
      }),
      fuzzRuns(200),
    );
  });

  it('/devin cost, the digest and its reminders, and Needs you on the App Home', () => {
    const rows = fc.array(
      fc.record({ key: fc.constantFrom('C1', 'G9', 'weird<>'), name: anyText, acus: amount, sessions: fc.nat() }),
      {
        maxLength: 80,
        size: 'max',
      },
    );
    fc.assert(
      fc.property(rows, listed, amount, (totals, sessions, spent) => {
        const period = spent > 5e6 ? 'week' : 'today';
        expectTaken('response_url', {
          response_type: 'ephemeral',
          ...costMessage({ period, total: spent, channels: totals, people: totals }),
        });
        if (sessions[0]) {
          expectTaken('chat.postMessage', { channel: 'U1', ...digestMessage(sessions) });
          expectTaken('chat.postMessage', { channel: 'U1', ...reminderMessage(sessions[0], 1_714_555_800_000) });
        }
        const items: NeedsYouItem[] = sessions
          .slice(0, 10)
          .map((session, i) =>
            i % 3 === 0
              ? { kind: 'waiting', session, approval: session.approval === true }
              : i % 3 === 1
                ? { kind: 'replies', session, held: 2, failed: 1 }
                : { kind: 'cap', session, spent, cap: 10 },
          );
        const channels = totals.slice(0, 10).map((t) => ({ channel: 'C1', spent: t.acus, budget: 10 }));
        const top = needsYouBlocks(items, channels);
        const view = homeView({ listing: { kind: 'listed', sessions }, now: 1_714_555_800_000, top });
        expectTaken('views.publish', { user_id: 'U1', view });
      }),
      fuzzRuns(60),
    );
  });
});
