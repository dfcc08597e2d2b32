import type { Notice, StatusView } from '../../../src/relay/model/notices';
import { RESEND_ACTION, renderNotice } from '../../../src/slack/views/notice-blocks';
import { endSessionButton } from '../../../src/slack/views/root-blocks';
import { statusLine, statusText } from '../../../src/slack/views/status-text';
import { blockKitProblems } from '../../support/block-kit-limits';

const sessionUrl = 'https://app.devin.ai/sessions/abc123';
const sessionId = 'devin-abc123';
const evil = '<!channel> look <https://evil.example|here> & <@U123>';
const evilUrl = 'https://x/<!channel>';

const notices: Notice[] = [
  { kind: 'paused', sessionId, sessionUrl, detail: 'Session is suspended', held: 2 },
  { kind: 'failed', sessionId, sessionUrl, reason: 'Devin answered 500', held: 1 },
  { kind: 'misconfigured', sessionId, sessionUrl, held: 3 },
  { kind: 'gone', sessionId, sessionUrl },
  { kind: 'rejected', sessionId, sessionUrl, detail: 'Message too long' },
  { kind: 'held-delivered', sessionId, sessionUrl, count: 2 },
  { kind: 'not-recorded' },
  { kind: 'waiting', sessionUrl },
  { kind: 'waiting', sessionUrl, mention: ['U1', 'U2'] },
  { kind: 'asleep', sessionUrl },
  { kind: 'finished', sessionUrl },
  { kind: 'finished', sessionUrl, pullRequestUrl: 'https://github.com/o/r/pull/1' },
  { kind: 'expired', sessionUrl },
  { kind: 'pull-request', url: 'https://github.com/o/r/pull/2' },
  { kind: 'muted' },
  { kind: 'unmuted', skipped: 0, sessionUrl },
  { kind: 'unmuted', skipped: 2, sessionUrl },
  { kind: 'files-not-attached', files: [{ name: 'dump.bin', problem: 'over the 25 MB limit' }] },
  { kind: 'errored', sessionUrl },
  { kind: 'ended', by: 'Alice' },
  { kind: 'end-confirm', sessionId, sessionUrl },
  { kind: 'help' },
];

/** Every `<...>` token Slack would treat as a link or mention. */
const tokens = (text: string) => text.match(/<[^>]*>/g) ?? [];

function resendButtons(notice: Notice) {
  return renderNotice(notice).blocks.flatMap((block) =>
    block.type === 'actions'
      ? block.elements.filter((e) => e.type === 'button' && 'action_id' in e && e.action_id === RESEND_ACTION)
      : [],
  );
}

describe('renderNotice', () => {
  it.each(notices.map((n) => [n.kind, n] as const))(
    'renders a %s notice as text and a matching section',
    (_, notice) => {
      const { text, blocks } = renderNotice(notice);
      expect(text.trim().length).toBeGreaterThan(10);
      expect(blocks[0]).toEqual({ type: 'section', text: { type: 'mrkdwn', text } });
    },
  );

  it('gives each kind of notice its own words', () => {
    const texts = notices.map((n) => renderNotice(n).text);
    expect(new Set(texts).size).toBe(texts.length);
  });

  it('offers a Resend button carrying the session id exactly on paused, failed and misconfigured notices', () => {
    const withButton = notices.filter((n) => resendButtons(n).length > 0).map((n) => n.kind);
    expect(withButton).toEqual(['paused', 'failed', 'misconfigured']);
    for (const notice of notices.slice(0, 3)) {
      expect(resendButtons(notice)).toEqual([
        expect.objectContaining({ type: 'button', action_id: 'resend_held', value: sessionId }),
      ]);
    }
    expect(RESEND_ACTION).toBe('resend_held');
  });

  it('names each file that could not be attached, and why', () => {
    const { text } = renderNotice({
      kind: 'files-not-attached',
      files: [
        { name: 'dump.bin', problem: 'over the 25 MB limit' },
        { name: 'shot.png', problem: "Devin's API refused the upload (HTTP 500)" },
      ],
    });
    expect(text).toContain("couldn't attach 2 files");
    expect(text).toContain('• *dump.bin*: over the 25 MB limit');
    expect(text).toContain("• *shot.png*: Devin's API refused the upload (HTTP 500)");
  });

  it('keeps every notice within Block Kit limits', () => {
    for (const notice of notices) expect(blockKitProblems(renderNotice(notice))).toEqual([]);
  });

  it('answers EXIT with End session and its confirmation, and says the name of whoever ended a session as text', () => {
    const confirm = renderNotice({ kind: 'end-confirm', sessionId, sessionUrl });
    expect(confirm.blocks.at(-1)).toEqual({ type: 'actions', elements: [endSessionButton(sessionId)] });
    expect(renderNotice({ kind: 'ended', by: evil }).text).not.toMatch(/<[!@#h]/);
  });

  it('mentions the people Devin waits for, and nothing that is not a user id', () => {
    const text = renderNotice({ kind: 'waiting', sessionUrl, mention: ['U1', '!channel', 'U2|x', 'W2'] }).text;
    expect(text).toMatch(/^:speech_balloon: <@U1> <@W2> Devin is waiting for your reply/);
    expect(tokens(text)).toEqual(['<@U1>', '<@W2>', `<${sessionUrl}|the session>`]);
  });

  it('links the Devin session and counts the held messages', () => {
    const { text } = renderNotice({ kind: 'paused', sessionId, sessionUrl, detail: 'x', held: 1 });
    expect(text).toContain(`<${sessionUrl}|the Devin session>`);
    expect(text).toContain('1 message ');
    expect(renderNotice({ kind: 'failed', sessionId, sessionUrl, reason: 'x', held: 4 }).text).toContain('4 messages');
  });

  it.each([
    ['paused', { kind: 'paused', sessionId, sessionUrl, detail: evil, held: 1 }],
    ['failed', { kind: 'failed', sessionId, sessionUrl, reason: evil, held: 1 }],
    ['rejected', { kind: 'rejected', sessionId, sessionUrl, detail: evil }],
    ['files-not-attached', { kind: 'files-not-attached', files: [{ name: evil, problem: evil }] }],
  ] as const)('escapes the text Devin provided in a %s notice so it pings no one and forges no link', (_, notice) => {
    const { text, blocks } = renderNotice(notice);
    expect(text).not.toContain('<!');
    expect(text).not.toContain('<@');
    expect(text).not.toContain('<https://evil');
    expect(tokens(text).every((t) => t.startsWith(`<${sessionUrl}|`))).toBe(true);
    expect(text).toContain('&lt;!channel&gt;');
    expect(JSON.stringify(blocks)).not.toContain('<!');
  });

  it('shows a pull request URL that is not a plain web address as text, not as a link or mention', () => {
    const urls = [evilUrl, 'https://x|forged label', 'javascript:alert(1)', 'https://x/ <!here>'];
    for (const url of urls) {
      for (const notice of [
        { kind: 'pull-request', url },
        { kind: 'finished', sessionUrl, pullRequestUrl: url },
      ] as Notice[]) {
        const { text } = renderNotice(notice);
        expect(text).not.toContain('<!');
        expect(tokens(text).filter((t) => !t.startsWith(`<${sessionUrl}|`))).toEqual([]);
      }
    }
    expect(renderNotice({ kind: 'pull-request', url: evilUrl }).text).toContain('https://x/&lt;!channel&gt;');
  });

  it('links a plain pull request URL', () => {
    const url = 'https://github.com/o/r/pull/7';
    expect(renderNotice({ kind: 'pull-request', url }).text).toContain(`<${url}>`);
    expect(renderNotice({ kind: 'finished', sessionUrl, pullRequestUrl: url }).text).toContain(`<${url}>`);
    expect(renderNotice({ kind: 'finished', sessionUrl }).text).not.toContain('Pull request');
  });
});

describe('statusLine', () => {
  it.each([
    ['working', ':large_green_circle: working'],
    ['waiting', ':speech_balloon: waiting for you'],
    ['asleep', ':zzz: asleep'],
    ['finished', ':checkered_flag: finished'],
    ['expired', ':hourglass: expired'],
  ] as const)('shows a %s session', (state, label) => {
    expect(statusLine({ state })).toBe(`*Status:* ${label}`);
  });

  it('shows a session not polled yet as starting', () => {
    expect(statusLine(undefined)).toBe('*Status:* :hourglass_flowing_sand: starting');
  });

  it('links the pull request when there is one', () => {
    const view: StatusView = { state: 'finished', pullRequestUrl: 'https://github.com/o/r/pull/3' };
    expect(statusLine(view)).toBe('*Status:* :checkered_flag: finished · <https://github.com/o/r/pull/3|pull request>');
  });

  it.each([evilUrl, 'https://x|forged', 'javascript:alert(1)', ''])('leaves out a pull request URL like %j', (url) => {
    const line = statusLine({ state: 'working', pullRequestUrl: url });
    expect(line).toBe('*Status:* :large_green_circle: working');
    expect(line).not.toContain('<');
  });

  it('puts the status line under the header', () => {
    expect(statusText('Linked to the session', { state: 'asleep' })).toBe(
      'Linked to the session\n*Status:* :zzz: asleep',
    );
    expect(statusText('Header', undefined)).toBe('Header\n*Status:* :hourglass_flowing_sand: starting');
  });
});
