import { AccessPolicy, refusalSentence } from '../../src/relay/access-policy';
import type { AccessConfig } from '../../src/relay/model/access-rules';

const config = (extra: Partial<AccessConfig> = {}): AccessConfig => ({
  admins: new Set(['UADMIN']),
  steer: 'anyone',
  link: 'anyone',
  allowGuests: false,
  ...extra,
});
const home = () => 'THOME';
const member = (userId: string, extra = {}) => ({ userId, channel: 'C1', account: 'member' as const, ...extra });

describe('AccessPolicy', () => {
  it('lets anyone the allowlists admit act, and refuses a channel, a user or a workspace outside them', () => {
    const policy = new AccessPolicy(config({ channels: new Set(['C1']), users: new Set(['U1']) }), home);
    expect(policy.mayAct(member('U1'))).toEqual({ ok: true });
    expect(policy.mayAct({ ...member('U1'), channel: 'C2' })).toEqual({ ok: false, refusal: 'channel' });
    expect(policy.mayAct(member('U2'))).toEqual({ ok: false, refusal: 'user' });
    expect(policy.mayAct(member('U1', { teamId: 'TOTHER' }))).toEqual({ ok: false, refusal: 'team' });
    expect(
      new AccessPolicy(config({ teams: new Set(['TOTHER']) }), home).mayAct(member('U9', { teamId: 'TOTHER' })),
    ).toEqual({ ok: true });
  });

  it('refuses bots, guests and accounts Slack cannot vouch for, unless guests are allowed', () => {
    const policy = new AccessPolicy(config(), home);
    expect(policy.admitsAccount(member('U1', { account: 'bot' }))).toEqual({ ok: false, refusal: 'bot' });
    expect(policy.admitsAccount(member('U1', { account: 'guest' }))).toEqual({ ok: false, refusal: 'guest' });
    expect(policy.admitsAccount(member('U1', { account: 'unknown' }))).toEqual({
      ok: false,
      refusal: 'account-unknown',
    });
    const guests = new AccessPolicy(config({ allowGuests: true }), home);
    expect(guests.admitsAccount(member('U1', { account: 'guest' }))).toEqual({ ok: true });
    expect(guests.admitsAccount(member('U1', { account: 'bot' }))).toEqual({ ok: false, refusal: 'bot' });
  });

  it("steers a thread under the rules it was bound with, the starter's and whom they allow", () => {
    const policy = new AccessPolicy(config(), home);
    const rules = { policy: 'starter' as const, boundBy: 'U1', allowed: ['U2'] };
    expect(policy.maySteer(member('U1'), rules)).toEqual({ ok: true });
    expect(policy.maySteer(member('U2'), rules)).toEqual({ ok: true });
    expect(policy.maySteer(member('U3'), rules)).toEqual({ ok: false, refusal: 'not-a-steerer' });
    expect(policy.maySteer(member('U3'), { boundBy: 'U1' })).toEqual({ ok: true });
  });

  it('lets an admin do what the rules refuse others, and says that it took an admin', () => {
    const policy = new AccessPolicy(config({ link: 'admins' }), home);
    expect(policy.maySteer(member('UADMIN'), { policy: 'starter', boundBy: 'U1' })).toEqual({
      ok: true,
      asAdmin: true,
    });
    expect(policy.mayLink(member('U1'))).toEqual({ ok: false, refusal: 'link-admins-only' });
    expect(policy.mayEndUnbound(member('U1'), false)).toEqual({ ok: false, refusal: 'not-the-owner' });
    expect(policy.mayEndUnbound(member('U1'), true)).toEqual({ ok: true });
    expect(policy.mayEndUnbound(member('UADMIN'), false)).toEqual({ ok: true, asAdmin: true });
  });

  it('links a session bound elsewhere only for someone who may steer it in one of its threads', () => {
    const policy = new AccessPolicy(config(), home);
    const bound = [{ policy: 'starter' as const, boundBy: 'U1' }];
    expect(policy.mayLink(member('U1'), bound)).toEqual({ ok: true });
    expect(policy.mayLink(member('U2'), bound)).toEqual({ ok: false, refusal: 'not-a-steerer' });
    expect(policy.mayManage(member('U2'), { boundBy: 'U1' })).toEqual({ ok: false, refusal: 'not-the-starter' });
  });

  it('has one sentence for each refusal, which never names the refused rule itself', () => {
    for (const refusal of ['channel', 'team', 'user', 'guest', 'bot', 'not-a-steerer', 'other-session'] as const) {
      expect(refusalSentence(refusal)).toMatch(/\.$/);
    }
  });
});
