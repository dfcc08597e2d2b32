import { join } from 'node:path';
import type { ListedSession } from '../../src/slack/access/session-list';
import { homeView } from '../../src/slack/views/home-view';
import { needsYouBlocks } from '../../src/slack/views/needs-you-blocks';
import { expectWithinBlockKit } from '../support/block-kit-limits';
import { sketch } from '../support/block-kit-sketch';
import { expectSketchIn } from '../support/doc-sketch';

const USAGE = join(__dirname, '..', '..', 'docs', 'usage.md');
const AT = Date.UTC(2024, 4, 1, 9, 30);

function session(hex: string, fields: Partial<ListedSession>): ListedSession {
  const id = hex.repeat(32).slice(0, 32);
  return {
    sessionId: `devin-${id}`,
    sessionUrl: `https://app.devin.ai/sessions/${id}`,
    lastActivityAt: AT,
    waiting: { total: 0, held: 0, failed: 0 },
    thread: {
      channel: 'C1',
      threadTs: '1714555800.000100',
      permalink: 'https://acme.slack.com/archives/C1/p1714555800000100',
    },
    ...fields,
  };
}

const SESSIONS: ListedSession[] = [
  session('a', { title: 'Fix the flaky login test', state: 'waiting', lastActivityAt: AT + 4 * 60_000 }),
  session('b', {
    title: 'Upgrade the build to Node 22',
    state: 'asleep',
    lastActivityAt: AT,
    waiting: { total: 1, held: 1, failed: 0 },
  }),
  session('c', { title: 'Add a health check endpoint', state: 'finished', lastActivityAt: AT - 86_400_000 }),
];

/**
 * The App Home of docs/usage.md: three sessions, one waiting for a reply, one asleep with a reply held; Needs you
 * lists both, and the spend of the person's channel today against its budget.
 */
const VIEW = homeView({
  now: AT + 5 * 60_000,
  listing: { kind: 'listed', sessions: SESSIONS },
  top: needsYouBlocks(
    [
      { kind: 'waiting', session: SESSIONS[0] as ListedSession, approval: false },
      { kind: 'replies', session: SESSIONS[1] as ListedSession, held: 1, failed: 0 },
    ],
    [{ channel: 'C1', spent: 42.5, budget: 200 }],
  ),
});

describe('the sketch of the App Home in docs/usage.md', () => {
  it('is the sketch of the view the app publishes for its example sessions', () => {
    expectWithinBlockKit(VIEW as never, 'home');
    const drawn = `${sketch(VIEW as never)}\n`;
    expectSketchIn(USAGE, 'home-sketch', drawn);
  });
});
