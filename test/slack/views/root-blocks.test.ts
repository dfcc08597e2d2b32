import {
  END_SESSION_ACTION,
  endSessionButton,
  OPEN_IN_DEVIN_ACTION,
  renderRoot,
} from '../../../src/slack/views/root-blocks';
import { statusText } from '../../../src/slack/views/status-text';
import { blockKitProblems } from '../../support/block-kit-limits';

const SESSION = 'devin-0123456789abcdef0123456789abcdef';
const URL = 'https://app.devin.ai/sessions/0123456789abcdef0123456789abcdef';
const HEADER = ':link: Alice linked <https://app.devin.ai/sessions/0123|Fix the login test> (`devin-0123`).';

// biome-ignore lint/suspicious/noExplicitAny: rendered blocks are read as JSON
const buttons = (blocks: any[]) => blocks.filter((b) => b.type === 'actions').flatMap((b) => b.elements);

describe('renderRoot', () => {
  it('keeps the header and status line as its plain text, for notifications and screen readers', () => {
    const view = { state: 'working' as const, pullRequestUrl: 'https://github.com/acme/app/pull/7' };
    const root = renderRoot({ header: HEADER, view, sessionId: SESSION, sessionUrl: URL });
    expect(root.text).toBe(statusText(HEADER, view));
    expect(blockKitProblems(root)).toEqual([]);
  });

  it('shows the title, the header, the status with the pull request, Open in Devin and End session', () => {
    const root = renderRoot({
      header: HEADER,
      view: { state: 'waiting', pullRequestUrl: 'https://github.com/acme/app/pull/7', title: 'Fix the login test' },
      sessionId: SESSION,
      sessionUrl: URL,
    });
    expect(root.blocks.map((b) => b.type)).toEqual(['header', 'section', 'context', 'actions']);
    expect(root.blocks[0]).toEqual({ type: 'header', text: { type: 'plain_text', text: 'Fix the login test' } });
    expect(JSON.stringify(root.blocks[2])).toContain('<https://github.com/acme/app/pull/7|pull request>');
    const [open, end] = buttons(root.blocks);
    expect(open).toMatchObject({ action_id: OPEN_IN_DEVIN_ACTION, url: URL, text: { text: 'Open in Devin' } });
    expect(end).toEqual(endSessionButton(SESSION, 'Fix the login test'));
  });

  it('drops End session once the session has ended, or someone ended it', () => {
    for (const view of [
      { state: 'finished' as const },
      { state: 'expired' as const },
      { state: 'error' as const },
      { state: 'working' as const, endedBy: 'Alice' },
    ]) {
      const root = renderRoot({ header: HEADER, view, sessionId: SESSION, sessionUrl: URL });
      expect(buttons(root.blocks).map((b) => b.action_id)).toEqual([OPEN_IN_DEVIN_ACTION]);
    }
    const ended = renderRoot({
      header: HEADER,
      view: { state: 'finished', endedBy: 'Alice <b>' },
      sessionId: SESSION,
      sessionUrl: URL,
    });
    expect(ended.text).toContain('*Status:* :black_square_for_stop: ended by Alice &lt;b&gt;');
  });

  it('shows End session while the state is not known yet, and no link button for an address that is no web URL', () => {
    const root = renderRoot({ header: HEADER, view: undefined, sessionId: SESSION, sessionUrl: 'javascript:alert(1)' });
    expect(buttons(root.blocks).map((b) => b.action_id)).toEqual([END_SESSION_ACTION]);
    expect(root.text).toContain('starting');
  });

  it('stays within Block Kit limits for a title, header and session id of any length', () => {
    const long = 'x'.repeat(10_000);
    const root = renderRoot({
      header: long,
      view: { state: 'working', title: long },
      sessionId: `devin-${'a'.repeat(64)}`,
      sessionUrl: URL,
    });
    expect(blockKitProblems(root)).toEqual([]);
  });
});

describe('endSessionButton', () => {
  it('is the contract App Home shares: end_session, the session id, danger, with a confirmation', () => {
    expect(endSessionButton(SESSION)).toEqual({
      type: 'button',
      action_id: 'end_session',
      text: { type: 'plain_text', text: 'End session' },
      style: 'danger',
      value: SESSION,
      confirm: {
        title: { type: 'plain_text', text: 'End this session?' },
        text: { type: 'plain_text', text: expect.stringContaining(SESSION) },
        confirm: { type: 'plain_text', text: 'End session' },
        deny: { type: 'plain_text', text: 'Keep it' },
        style: 'danger',
      },
    });
  });
});
