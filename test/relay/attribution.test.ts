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

  it('acts as the service user for a while after Devin refused to act as the person', async () => {
    await attribution.actingFor('U1');
    attribution.refused('U1', new DevinApiError('refused', 403, 'forbidden'));
    expect(await attribution.actingFor('U1')).toEqual({
      fallback: { kind: 'missing-permission', permission: 'ImpersonateOrgSessions' },
    });
  });
});
