import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KEPT_ENTRIES, PersonSessions } from '../../src/relay/person-sessions';
import type { Store } from '../../src/relay/ports/store';
import { createStore } from '../../src/store/create-store';
import { CountingStore } from '../support/counting-store';

const dir = mkdtempSync(join(tmpdir(), 'devin-slack-people-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const alice = { team: 'T1', userId: 'U1' };
const bob = { team: 'T1', userId: 'U2' };

describe.each([
  ['memory', () => 'memory://'],
  ['sqlite', () => `sqlite://${join(dir, `${Math.random()}.sqlite`)}`],
])('PersonSessions on the %s store', (_kind, url) => {
  let store: Store;
  let people: PersonSessions;
  beforeEach(async () => {
    store = await createStore(url());
    people = new PersonSessions(store);
  });
  afterEach(() => store.close());

  it("lists a person's sessions newest first, each once, with its last activity", async () => {
    await people.touch(alice, 'devin-a', 1000);
    await people.touch(alice, 'devin-b', 2000);
    await people.touch(alice, 'devin-a', 3000);
    await people.touch(bob, 'devin-c', 4000);
    expect(await people.recent(alice, 20)).toEqual([
      { sessionId: 'devin-a', lastActivityAt: 3000 },
      { sessionId: 'devin-b', lastActivityAt: 2000 },
    ]);
    expect(await people.recent(bob, 20)).toEqual([{ sessionId: 'devin-c', lastActivityAt: 4000 }]);
    expect(await people.recent(alice, 1)).toEqual([{ sessionId: 'devin-a', lastActivityAt: 3000 }]);
  });

  it('names the people of a session, and moves it up in their lists when it changes', async () => {
    await people.touch(alice, 'devin-a', 1000);
    await people.touch(alice, 'devin-b', 2000);
    await people.touch(bob, 'devin-a', 1500);
    expect(await people.changed('devin-a', 5000)).toEqual([bob, alice]);
    expect((await people.recent(alice, 20)).map((s) => s.sessionId)).toEqual(['devin-a', 'devin-b']);
    expect(await people.recent(bob, 20)).toEqual([{ sessionId: 'devin-a', lastActivityAt: 5000 }]);
  });

  it(`keeps only the newest ${KEPT_ENTRIES} sessions of a person`, async () => {
    for (let i = 0; i < KEPT_ENTRIES + 5; i += 1) await people.touch(alice, `devin-${i}`, 1000 + i);
    const listed = await people.recent(alice, 100);
    expect(listed).toHaveLength(KEPT_ENTRIES);
    expect(listed[0]?.sessionId).toBe(`devin-${KEPT_ENTRIES + 4}`);
    expect(listed.at(-1)?.sessionId).toBe('devin-5');
  });

  it('ignores an activity without a person', async () => {
    await people.touch({ team: 'T1', userId: '' }, 'devin-a', 1000);
    expect(await people.peopleOf('devin-a')).toEqual([]);
  });

  it("writes nothing more for a burst of one person's replies in one session, and writes again after a minute", async () => {
    const counting = new CountingStore(store);
    const watched = new PersonSessions(counting);
    await watched.touch(alice, 'devin-a', 1000);
    const first = counting.ops.length;
    expect(first).toBe(2);
    for (let at = 2000; at < 60_000; at += 5000) await watched.touch(alice, 'devin-a', at);
    expect(counting.ops.length).toBe(first);
    await watched.touch(alice, 'devin-b', 61_000);
    await watched.touch(alice, 'devin-a', 62_000);
    expect(await watched.recent(alice, 20)).toEqual([
      { sessionId: 'devin-a', lastActivityAt: 62_000 },
      { sessionId: 'devin-b', lastActivityAt: 61_000 },
    ]);
  });
});
