import type { types } from '@slack/bolt';
import type { ListedSession } from '../../../src/slack/access/session-list';
import { homeView } from '../../../src/slack/views/home-view';
import { expectWithinBlockKit } from '../../support/block-kit-limits';

const NOW = Date.UTC(2024, 4, 1, 12, 0, 0);

function session(i: number, extra: Partial<ListedSession> = {}): ListedSession {
  const hex = String(i).padStart(32, '0');
  return {
    sessionId: `devin-${hex}`,
    sessionUrl: `https://app.devin.ai/sessions/${hex}`,
    title: `Session number ${i}`,
    state: 'working',
    lastActivityAt: NOW - i * 60_000,
    waiting: { total: 0, held: 0, failed: 0 },
    thread: {
      channel: 'C1',
      threadTs: `1700000000.${String(i).padStart(6, '0')}`,
      permalink: `https://acme.slack.com/archives/C1/p1700000000${String(i).padStart(6, '0')}`,
    },
    ...extra,
  };
}

const actionsOf = (view: ReturnType<typeof homeView>) =>
  view.blocks
    .filter((b) => b.type === 'actions')
    .map((b) => (b as { elements: Array<{ action_id: string }> }).elements);

describe('homeView', () => {
  it('shows at most 20 sessions and stays within the limits of a Home view, however long the titles', () => {
    const sessions = Array.from({ length: 25 }, (_, i) =>
      session(i, {
        title: `${'A very long title with <markup> & *stars* '.repeat(20)}${i}`,
        waiting: { total: 3, held: 2, failed: 1 },
      }),
    );
    const view = homeView({ listing: { kind: 'listed', sessions }, now: NOW, notice: 'x'.repeat(4000) });
    expectWithinBlockKit(view as never, 'home');
    expect(actionsOf(view)).toHaveLength(20);
    // Escaped where Slack reads markup (mrkdwn); plain text shows what Devin wrote.
    const mrkdwn = view.blocks
      .map((b) => (b.type === 'section' ? ((b as types.SectionBlock).text?.text ?? '') : ''))
      .join('\n');
    expect(mrkdwn).not.toContain('<markup>');
    expect(mrkdwn).toContain('&lt;markup&gt;');
  });

  it('offers Resend only with replies held or failed, and End session only while the session can still end', () => {
    const view = homeView({
      listing: {
        kind: 'listed',
        sessions: [
          session(1, { waiting: { total: 1, held: 1, failed: 0 } }),
          session(2, { state: 'finished' }),
          session(3, { state: undefined, thread: undefined, title: undefined }),
        ],
      },
      now: NOW,
    });
    expect(actionsOf(view).map((elements) => elements.map((e) => e.action_id))).toEqual([
      ['open_thread', 'open_in_devin', 'resend_held', 'end_session'],
      ['open_thread', 'open_in_devin'],
      ['open_in_devin', 'end_session'],
    ]);
    const texts = JSON.stringify(view);
    expect(texts).toContain(`*Session devin-${'3'.padStart(32, '0')}*`);
    expect(texts).toContain(':grey_question: status not known yet');
  });

  it('cuts a long title in the End session dialog to fit its 300 characters', () => {
    const view = homeView({
      listing: { kind: 'listed', sessions: [session(1, { title: 'T'.repeat(400) })] },
      now: NOW,
    });
    expectWithinBlockKit(view as never, 'home');
    const end = actionsOf(view)[0]?.find((e) => e.action_id === 'end_session') as unknown as {
      confirm: { text: { text: string } };
    };
    expect(end.confirm.text.text).toMatch(
      /^Devin stops working on “T+…” for good: an ended session cannot be resumed\.$/,
    );
  });
});
