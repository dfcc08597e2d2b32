import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ListedSession } from '../src/slack/access/session-list';
import { homeView } from '../src/slack/views/home-view';
import { expectWithinBlockKit } from './support/block-kit-limits';
import { sketch } from './support/block-kit-sketch';

const README = join(__dirname, '..', 'README.md');
const START = '<!-- home-sketch:start -->\n```text\n';
const END = '```\n<!-- home-sketch:end -->';
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

/** The App Home of the README: three sessions, one asleep with a reply held. */
const VIEW = homeView({
  now: AT + 5 * 60_000,
  listing: {
    kind: 'listed',
    sessions: [
      session('a', { title: 'Fix the flaky login test', state: 'waiting', lastActivityAt: AT + 4 * 60_000 }),
      session('b', {
        title: 'Upgrade the build to Node 22',
        state: 'asleep',
        lastActivityAt: AT,
        waiting: { total: 1, held: 1, failed: 0 },
      }),
      session('c', { title: 'Add a health check endpoint', state: 'finished', lastActivityAt: AT - 86_400_000 }),
    ],
  },
});

describe("the README's sketch of the App Home", () => {
  it('is the sketch of the view the app publishes for its example sessions', () => {
    expectWithinBlockKit(VIEW as never, 'home');
    const drawn = `${sketch(VIEW as never)}\n`;
    const readme = readFileSync(README, 'utf8');
    const from = readme.indexOf(START);
    const to = readme.indexOf(END);
    expect(from).toBeGreaterThan(-1);
    if (process.env.UPDATE_README_SKETCH) {
      writeFileSync(README, readme.slice(0, from + START.length) + drawn + readme.slice(to));
      return;
    }
    // To redraw it: UPDATE_README_SKETCH=1 npx jest test/readme-home-sketch.test.ts
    expect(readme.slice(from + START.length, to)).toBe(drawn);
  });
});
