import type { SessionWatch } from '../../src/relay/model/session-watch';
import { meterStep } from '../../src/relay/model/spend';
import { shownPullRequests, transitionNotices } from '../../src/relay/session-transitions';

const sessionUrl = 'https://app.devin.ai/sessions/abc';
const base = { sessionUrl, detailChanged: false, detail: undefined, freshPullRequests: [], replyWakes: false };

describe('transitionNotices', () => {
  it('tells a thread that Devin waits, for a reply or for an approval', () => {
    expect(transitionNotices({ ...base, before: 'working', after: 'waiting' })).toEqual([
      { kind: 'waiting', sessionUrl },
    ]);
    expect(transitionNotices({ ...base, before: 'working', after: 'waiting', detail: { kind: 'approval' } })).toEqual([
      { kind: 'waiting', sessionUrl, approval: true },
    ]);
  });

  it('tells a thread that the session sleeps, whether a reply wakes it, and the quota it ran out of in words', () => {
    expect(transitionNotices({ ...base, before: 'working', after: 'asleep', replyWakes: true })).toEqual([
      { kind: 'asleep', sessionUrl, replyWakes: true },
    ]);
    const detail = { kind: 'quota' as const, reason: 'out_of_credits', words: 'the organization is out of credits' };
    expect(
      transitionNotices({ ...base, before: 'asleep', after: 'asleep', detailChanged: true, detail, replyWakes: true }),
    ).toEqual([{ kind: 'asleep', sessionUrl, replyWakes: true, quota: 'out_of_credits', quotaWords: detail.words }]);
  });

  it('says nothing when nothing changed', () => {
    expect(transitionNotices({ ...base, before: 'working', after: 'working' })).toEqual([]);
    expect(transitionNotices({ ...base, before: 'waiting', after: undefined })).toEqual([]);
  });

  it('names the first new pull request and the cost in the finished notice, and each other pull request apart', () => {
    expect(
      transitionNotices({
        ...base,
        before: 'working',
        after: 'finished',
        freshPullRequests: ['https://github.com/o/r/pull/1', 'https://github.com/o/r/pull/2'],
        acusConsumed: 2.25,
      }),
    ).toEqual([
      { kind: 'finished', sessionUrl, pullRequestUrl: 'https://github.com/o/r/pull/1', acusConsumed: 2.25 },
      { kind: 'pull-request', url: 'https://github.com/o/r/pull/2' },
    ]);
  });

  it('does not tell a thread that Devin finished a session someone ended from Slack (it was told then)', () => {
    expect(transitionNotices({ ...base, before: 'working', after: 'finished', endedFromSlack: true })).toEqual([]);
  });

  it('tells of an expired or failed session, and of a pull request that appears while it works', () => {
    expect(transitionNotices({ ...base, before: 'working', after: 'expired' })).toEqual([
      { kind: 'expired', sessionUrl },
    ]);
    expect(transitionNotices({ ...base, before: 'working', after: 'error' })).toEqual([
      { kind: 'errored', sessionUrl },
    ]);
    expect(
      transitionNotices({ ...base, before: 'working', after: 'working', freshPullRequests: ['https://x/pull/3'] }),
    ).toEqual([{ kind: 'pull-request', url: 'https://x/pull/3' }]);
  });
});

describe('shownPullRequests', () => {
  const watch = (extra: Partial<SessionWatch>): SessionWatch => ({
    sessionId: 's',
    quietPolls: 0,
    nextPollAt: 0,
    ...extra,
  });

  it('prefers every pull request with its state, and reads the one URL an older watch kept', () => {
    expect(shownPullRequests(watch({ pullRequests: [{ url: 'https://x/1', state: 'open' }] }))).toEqual([
      { url: 'https://x/1', state: 'open' },
    ]);
    expect(shownPullRequests(watch({ pullRequestUrl: 'https://x/2' }))).toEqual([{ url: 'https://x/2' }]);
    expect(shownPullRequests(watch({}))).toEqual([]);
  });
});

describe('meterStep', () => {
  it('without a cap, changes only when the spend shown to the tenth changes', () => {
    expect(meterStep(1.04, undefined)).toBe(meterStep(1.01, undefined));
    expect(meterStep(1.06, undefined)).not.toBe(meterStep(1.01, undefined));
    expect(meterStep(undefined, 10)).toBeUndefined();
  });

  it('with a cap, changes only when the meter moves a tenth of the cap', () => {
    expect(meterStep(3.0, 10)).toBe(meterStep(3.9, 10));
    expect(meterStep(4.0, 10)).not.toBe(meterStep(3.9, 10));
    expect(meterStep(25, 10)).toBe(10);
  });
});
