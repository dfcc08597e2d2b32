import { Attribution } from '../../src/relay/attribution';
import type { Notice } from '../../src/relay/model/notices';
import type { ThreadRef } from '../../src/relay/model/threads';
import { DevinApiError } from '../../src/relay/ports/devin-errors';
import { captureLog } from '../support/capture-log';
import { THREAD } from '../support/domain-parts';

describe('Attribution', () => {
  let now: number;
  let lookups: string[];
  let members: Record<string, string>;
  let emails: Record<string, string | undefined>;
  let refuseLookups: boolean;
  let told: Array<{ thread: ThreadRef; notice: Notice }>;
  let attribution: Attribution;
  beforeEach(() => {
    now = 0;
    lookups = [];
    members = { 'ada@example.com': 'user-ada' };
    emails = { U1: 'ada@example.com', U2: 'grace@example.com', U3: undefined };
    refuseLookups = false;
    told = [];
    attribution = new Attribution({
      emailOf: async (id) => emails[id],
      devin: {
        findMember: async (email) => {
          lookups.push(email);
          if (refuseLookups) throw new DevinApiError('refused', 403, 'forbidden');
          return members[email];
        },
      },
      tell: (thread, notice) => void told.push({ thread, notice }),
      log: captureLog().log,
      now: () => now,
      ttlMs: 60_000,
    });
  });

  it("acts as the person's Devin account, found by their Slack email, looked up once in a while", async () => {
    expect(await attribution.actingFor('U1')).toEqual({ asUserId: 'user-ada' });
    expect(await attribution.actingFor('U1')).toEqual({ asUserId: 'user-ada' });
    expect(lookups).toEqual(['ada@example.com']);
    now = 60_000;
    await attribution.actingFor('U1');
    expect(lookups).toEqual(['ada@example.com', 'ada@example.com']);
  });

  it('falls back to the service user, saying why: no email, or no member with it', async () => {
    expect(await attribution.actingFor('U3')).toEqual({ fallback: { kind: 'no-email' } });
    expect(await attribution.actingFor('U2')).toEqual({ fallback: { kind: 'not-a-member' } });
  });

  it('stops looking people up for a while once Devin refuses the lookups', async () => {
    refuseLookups = true;
    const refused = { fallback: { kind: 'missing-permission', permission: 'ViewOrgMembership' } };
    expect(await attribution.actingFor('U1')).toEqual(refused);
    expect(await attribution.actingFor('U2')).toEqual(refused);
    expect(lookups).toEqual(['ada@example.com']);
  });

  it('tells each thread once that the service user acts for a person, and nothing when they act as themselves', async () => {
    const acting = await attribution.actingFor('U2');
    attribution.note(THREAD, 'U2', acting);
    attribution.note(THREAD, 'U2', acting);
    attribution.note(THREAD, 'U1', await attribution.actingFor('U1'));
    expect(told).toEqual([
      { thread: THREAD, notice: { kind: 'acting-as-service-user', userId: 'U2', reason: { kind: 'not-a-member' } } },
    ]);
  });

  it('remembers the threads it told, and the people it logged, up to its bound: the oldest are told again', async () => {
    const { log, lines } = captureLog();
    const bounded = new Attribution({
      emailOf: async (id) => `${id}@example.com`,
      devin: { findMember: async () => undefined },
      tell: (thread, notice) => void told.push({ thread, notice }),
      log,
      now: () => now,
      maxTold: 3,
    });
    const threads = Array.from({ length: 5 }, (_, i) => ({ ...THREAD, threadTs: `10${i}.0` }));
    for (const [i, thread] of threads.entries()) bounded.note(thread, `U${i}`, await bounded.actingFor(`U${i}`));
    expect(told).toHaveLength(5);
    // The three most recent threads (and people) are still remembered; the first two were forgotten.
    const again = [4, 3, 2, 0, 1];
    for (const i of again) bounded.note(threads[i], `U${i}`, { fallback: { kind: 'not-a-member' } });
    expect(told.map((t) => t.thread.threadTs)).toEqual([0, 1, 2, 3, 4, 0, 1].map((i) => threads[i]?.threadTs));
    expect(lines.filter((l) => l.msg.includes('matches no member')).map((l) => l.user_id)).toEqual([
      'U0',
      'U1',
      'U2',
      'U3',
      'U4',
      'U0',
      'U1',
    ]);
  });

  it('acts as the service user for a while after Devin refused to act as the person', async () => {
    await attribution.actingFor('U1');
    attribution.refused('U1', new DevinApiError('refused', 403, 'forbidden'));
    expect(await attribution.actingFor('U1')).toEqual({
      fallback: { kind: 'missing-permission', permission: 'ImpersonateOrgSessions' },
    });
  });
});
