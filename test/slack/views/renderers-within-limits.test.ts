import fc from 'fast-check';
import type { Notice, StatusView } from '../../../src/relay/model/notices';
import type { ListedSession } from '../../../src/slack/access/session-list';
import { sessionListMessage } from '../../../src/slack/commands/list-command';
import { SlackFeedback } from '../../../src/slack/outbound/slack-feedback';
import { failedRootText } from '../../../src/slack/starts/slack-starts';
import { escapeSlackText } from '../../../src/slack/text/outgoing-text';
import { quoteBlock } from '../../../src/slack/text/slack-fit';
import { homeView } from '../../../src/slack/views/home-view';
import { minimalNotice, renderNotice } from '../../../src/slack/views/notice-blocks';
import { minimalRoot, renderRoot } from '../../../src/slack/views/root-blocks';
import { loadingForm, pickerForm } from '../../../src/slack/views/send-to-devin-form';
import { fuzzRuns } from '../../support/fuzz';
import { limitBreach, responseBreach } from '../../support/slack-limits';
import type { Json } from '../../support/slack-signing';

// Random tasks, titles, details, file names and pull request lists (long, non-Latin, emoji, full of `<>&`, Slack
// markup) through every renderer: every message and view passes the strict fake Slack's checks.

const PIECES = [
  'word ',
  'fix the flaky login test ',
  '\n',
  '\n\n',
  '<',
  '>',
  '&',
  '&amp;',
  '<!channel>',
  '<@U123|bob>',
  '<https://evil.example|click>',
  '*bold* ',
  '_it_ ',
  '`code` ',
  '```\nblock\n```',
  '> quote\n',
  '本番環境 ',
  'Déploiement ',
  'مرحبا ',
  '🚀',
  '👩🏽‍💻 ',
  '\u200b',
  'x'.repeat(120),
  'https://example.com/a/long/path?with=query&and=more ',
];
/** Words of any length up to `most` pieces, from the pieces that break renderers. */
const hostile = (most: number) =>
  fc.array(fc.constantFrom(...PIECES), { maxLength: most, size: 'max' }).map((pieces) => pieces.join(''));
const anyText = fc.oneof(hostile(20), hostile(400), fc.string({ unit: 'grapheme', maxLength: 300 }));
const anyUrl = fc.oneof(
  fc.webUrl(),
  fc.constant(`https://github.com/acme/${'r'.repeat(600)}/pull/1`),
  hostile(3),
  fc.constant(''),
);
const pullRequests = fc.array(
  fc.record({ url: anyUrl, state: fc.option(fc.constantFrom('open', 'merged', 'closed', '<b>&'), { nil: undefined }) }),
  { maxLength: 40, size: 'max' },
);
const SESSION_ID = 'devin-0123456789abcdef0123456789abcdef';
const SESSION_URL = 'https://app.devin.ai/sessions/0123456789abcdef0123456789abcdef';
const STATES = ['working', 'waiting', 'asleep', 'finished', 'expired', 'error'] as const;

const statusView: fc.Arbitrary<StatusView> = fc
  .record({
    state: fc.constantFrom(...STATES),
    title: fc.option(anyText, { nil: undefined }),
    endedBy: fc.option(anyText, { nil: undefined }),
    pullRequestUrl: fc.option(anyUrl, { nil: undefined }),
    pullRequests: fc.option(pullRequests, { nil: undefined }),
    acusConsumed: fc.option(fc.double({ min: 0, max: 1e6, noNaN: true }), { nil: undefined }),
    quota: fc.option(anyText, { nil: undefined }),
  })
  .map(({ quota, pullRequests: prs, ...view }) => {
    const fields = Object.fromEntries(Object.entries(view).filter(([, v]) => v !== undefined));
    return {
      ...(fields as unknown as StatusView),
      ...(prs ? { pullRequests: prs.map((pr) => ({ url: pr.url, ...(pr.state ? { state: pr.state } : {}) })) } : {}),
      ...(quota ? { detail: { kind: 'quota' as const, reason: quota } } : {}),
    };
  });

/** The header `/devin new` writes over the status line: the author, the link, the task quoted. */
const header = fc
  .tuple(anyText, anyText)
  .map(
    ([author, task]) =>
      `${escapeSlackText(author)} started <${SESSION_URL}|a Devin session> (\`${SESSION_ID}\`)\n` +
      `${quoteBlock(escapeSlackText(task), 2500)}\nReply in this thread to steer Devin.`,
  );

const files = fc.array(fc.record({ name: anyText, problem: anyText }), { maxLength: 12, size: 'max' });
const notice: fc.Arbitrary<Notice> = fc.oneof(
  fc.record({ detail: anyText, held: fc.nat(500) }).map((n) => ({ kind: 'paused' as const, ...ids(), ...n })),
  fc.record({ reason: anyText, held: fc.nat(500) }).map((n) => ({ kind: 'failed' as const, ...ids(), ...n })),
  anyText.map((permission) => ({ kind: 'misconfigured' as const, ...ids(), held: 1, permission })),
  anyText.map((detail) => ({ kind: 'rejected' as const, ...ids(), detail })),
  fc.array(fc.constantFrom('U1', 'U2', '<!channel>'), { maxLength: 30 }).map((mention) => ({
    kind: 'waiting' as const,
    sessionUrl: SESSION_URL,
    mention,
  })),
  anyText.map((quota) => ({ kind: 'asleep' as const, sessionUrl: SESSION_URL, quota })),
  anyUrl.map((url) => ({ kind: 'finished' as const, sessionUrl: SESSION_URL, pullRequestUrl: url, acusConsumed: 3 })),
  anyUrl.map((url) => ({ kind: 'pull-request' as const, url })),
  files.map((list) => ({ kind: 'files-not-attached' as const, files: list })),
  anyText.map((by) => ({ kind: 'ended' as const, by })),
  fc.nat(10_000).map((skipped) => ({ kind: 'unmuted' as const, skipped, sessionUrl: SESSION_URL })),
);

function ids() {
  return { sessionId: SESSION_ID, sessionUrl: SESSION_URL };
}

const listed: fc.Arbitrary<ListedSession[]> = fc
  .array(
    fc.record({
      title: fc.option(anyText, { nil: undefined }),
      state: fc.option(fc.constantFrom(...STATES), { nil: undefined }),
      held: fc.nat(1000),
    }),
    { maxLength: 25, size: 'max' },
  )
  .map((sessions) =>
    sessions.map(({ title, state, held }, i) => ({
      sessionId: `${SESSION_ID.slice(0, -2)}${String(i).padStart(2, '0')}`,
      sessionUrl: SESSION_URL,
      ...(title !== undefined ? { title } : {}),
      ...(state !== undefined ? { state } : {}),
      lastActivityAt: 1_714_555_800_000,
      waiting: { total: held * 2, held, failed: held },
      thread: { channel: 'C1', threadTs: '1714555800.000100', permalink: 'https://acme.slack.com/archives/C1/p1' },
    })),
  );

/** Fails the property with Slack's answer and the limits broken, when Slack would not take the call. */
function expectTaken(method: string, args: object): void {
  const breach = method === 'response_url' ? responseBreach(args) : limitBreach(method, args as Json);
  expect(breach).toBeUndefined();
}

describe('every renderer keeps Slack limits, whatever the data', () => {
  it('the root message, posted or edited', () => {
    fc.assert(
      fc.property(header, fc.option(statusView, { nil: undefined }), (words, view) => {
        const root = renderRoot({ header: words, view, sessionId: SESSION_ID, sessionUrl: SESSION_URL });
        expectTaken('chat.update', { channel: 'C1', ts: '1.1', ...root });
        expectTaken('chat.postMessage', { channel: 'C1', ...root });
        expectTaken('chat.update', { channel: 'C1', ts: '1.1', ...minimalRoot(view, SESSION_URL) });
      }),
      fuzzRuns(150),
    );
  });

  it("a failed start's root edit", () => {
    fc.assert(
      fc.property(anyText, fc.option(anyText, { nil: undefined }), anyText, (author, reason, task) => {
        expectTaken('chat.update', { channel: 'C1', ts: '1.1', text: failedRootText(author, reason, task) });
      }),
      fuzzRuns(150),
    );
  });

  it('every notice, posted, edited or told privately, and its minimal form', () => {
    fc.assert(
      fc.property(notice, (told) => {
        const rendered = renderNotice(told);
        for (const method of ['chat.postMessage', 'chat.update', 'chat.postEphemeral']) {
          expectTaken(method, { channel: 'C1', ts: '1.1', user: 'U1', ...rendered });
        }
        expectTaken('chat.update', { channel: 'C1', ts: '1.1', ...minimalNotice(told) });
      }),
      fuzzRuns(300),
    );
  });

  it('`/devin list`, the App Home and the Send to Devin form', () => {
    fc.assert(
      fc.property(listed, anyText, anyText, files, (sessions, note, text, shared) => {
        expectTaken('response_url', { response_type: 'ephemeral', ...sessionListMessage(sessions) });
        const home = homeView({ listing: { kind: 'listed', sessions }, now: 1_714_555_800_000, notice: note });
        expectTaken('views.publish', { user_id: 'U1', view: home });
        const message = {
          team: 'T1',
          channel: 'C1',
          ts: '1.1',
          user: 'U1',
          text,
          files: shared.map((f) => ({ name: f.name })),
        };
        expectTaken('views.open', { trigger_id: 't', view: loadingForm('draft', message) });
        expectTaken('views.update', { view_id: 'V1', view: pickerForm('draft', message, sessions) });
      }),
      fuzzRuns(100),
    );
  });

  it("Devin's messages, each chunk posted in the thread", () => {
    const feedback = new SlackFeedback({} as never);
    fc.assert(
      fc.property(hostile(2000), fc.option(anyText, { nil: undefined }), (markdown, author) => {
        const chunks = feedback.sessionMessageChunks({ markdown, ...(author ? { author } : {}) });
        for (const text of chunks) expectTaken('chat.postMessage', { channel: 'C1', thread_ts: '1.1', text });
      }),
      fuzzRuns(60),
    );
  });
});
