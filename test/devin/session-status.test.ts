import { statusWords } from '../../src/devin/shared/session-status';
import { v1State } from '../../src/devin/v1/v1-status';
import { quotaWords } from '../../src/devin/v3/suspension';
import { v3Detail, v3State } from '../../src/devin/v3/v3-status';

describe('the state of an API v1 session', () => {
  it.each([
    ['working', 'working'],
    ['resumed', 'working'],
    ['resume_requested', 'working'],
    ['resume_requested_frontend', 'working'],
    ['blocked', 'waiting'],
    ['waiting_for_user', 'waiting'],
    ['waiting_for_approval', 'waiting'],
    ['suspend_requested', 'asleep'],
    ['suspend_requested_frontend', 'asleep'],
    ['finished', 'finished'],
    ['expired', 'expired'],
  ] as const)('maps status_enum %s to %s', (statusEnum, state) => {
    expect(v1State({ status_enum: statusEnum })).toBe(state);
    expect(v1State({ status_enum: statusEnum, status: 'something else entirely' })).toBe(state);
  });

  it.each([
    ['running', 'working'],
    ['working', 'working'],
    ['blocked', 'waiting'],
    ['waiting_for_user', 'waiting'],
    ['waiting_for_approval', 'waiting'],
    ['suspended', 'asleep'],
    ['paused', 'asleep'],
    ['sleeping', 'asleep'],
    ['asleep', 'asleep'],
    ['exit', 'finished'],
    ['exited', 'finished'],
    ['finished', 'finished'],
    ['stopped', 'finished'],
    ['expired', 'expired'],
    ['error', 'error'],
  ] as const)('falls back to the free-text status %s as %s when there is no status_enum', (status, state) => {
    expect(v1State({ status })).toBe(state);
    expect(v1State({ status, status_enum: null })).toBe(state);
    expect(v3State({ status })).toBe(state);
  });

  it('falls back to the free-text status when status_enum is unknown', () => {
    expect(v1State({ status_enum: 'teleporting', status: 'running' })).toBe('working');
    expect(v1State({ status_enum: '', status: 'suspended' })).toBe('asleep');
  });

  it('prefers a known status_enum over a contradicting status', () => {
    expect(v1State({ status_enum: 'blocked', status: 'running' })).toBe('waiting');
    expect(v1State({ status_enum: 'finished', status: 'running' })).toBe('finished');
  });

  it('ignores case in both fields', () => {
    expect(v1State({ status_enum: 'SUSPEND_REQUESTED' })).toBe('asleep');
    expect(v1State({ status_enum: 'Blocked' })).toBe('waiting');
    expect(v1State({ status: 'RUNNING' })).toBe('working');
    expect(v1State({ status: 'Exit' })).toBe('finished');
  });

  it('is undefined when neither field is known', () => {
    expect(v1State({})).toBeUndefined();
    expect(v1State({ status: null, status_enum: null })).toBeUndefined();
    expect(v1State({ status: '', status_enum: '' })).toBeUndefined();
    expect(v1State({ status: 'pondering', status_enum: 'teleporting' })).toBeUndefined();
    expect(v1State({ status: 'constructor' })).toBeUndefined();
    expect(v1State({ status_enum: 'toString' })).toBeUndefined();
  });
});

describe("API v3's status and status_detail", () => {
  it.each([
    ['running', 'working', 'working'],
    ['running', 'waiting_for_user', 'waiting'],
    ['running', 'waiting_for_approval', 'waiting'],
    ['running', 'finished', 'finished'],
    ['running', 'levitating', 'working'],
    ['exit', undefined, 'finished'],
    ['error', undefined, 'error'],
    ['suspended', 'inactivity', 'asleep'],
    ['suspended', 'user_request', 'asleep'],
    ['suspended', 'out_of_credits', 'asleep'],
    ['suspended', 'a_reason_devin_adds_later', 'asleep'],
    ['new', undefined, 'working'],
    ['claimed', undefined, 'working'],
    ['resuming', undefined, 'working'],
  ] as const)('maps %s with %s to %s', (status, statusDetail, state) => {
    expect(v3State({ status, ...(statusDetail ? { status_detail: statusDetail } : {}) })).toBe(state);
  });

  it('keeps an unknown status unknown (the last known state stays), whatever its detail', () => {
    expect(v3State({ status: 'teleporting', status_detail: 'working' })).toBeUndefined();
  });

  it.each([
    ['running', 'waiting_for_approval', { kind: 'approval' }],
    ['suspended', 'usage_limit_exceeded', { kind: 'quota', reason: 'usage_limit_exceeded' }],
    ['suspended', 'out_of_credits', { kind: 'quota', reason: 'out_of_credits' }],
    ['suspended', 'out_of_quota', { kind: 'quota', reason: 'out_of_quota' }],
    ['suspended', 'no_quota_allocation', { kind: 'quota', reason: 'no_quota_allocation' }],
    ['suspended', 'payment_declined', { kind: 'quota', reason: 'payment_declined' }],
    ['suspended', 'org_usage_limit_exceeded', { kind: 'quota', reason: 'org_usage_limit_exceeded' }],
    ['suspended', 'total_session_limit_exceeded', { kind: 'quota', reason: 'total_session_limit_exceeded' }],
    ['error', undefined, undefined],
    ['suspended', 'inactivity', undefined],
    ['suspended', 'hasOwnProperty', undefined],
    ['running', 'waiting_for_user', undefined],
  ] as const)('tells what %s with %s leaves out', (status, statusDetail, detail) => {
    const expected = detail && 'reason' in detail ? { ...detail, words: quotaWords(detail.reason) } : detail;
    expect(v3Detail({ status, ...(statusDetail ? { status_detail: statusDetail } : {}) })).toEqual(expected);
  });
});

describe("Devin's own words for a status", () => {
  it('joins the words Devin gave, most precise first, and is empty without any', () => {
    expect(statusWords('working', 'running')).toBe('working / running');
    expect(statusWords('running', null)).toBe('running');
    expect(statusWords(null, undefined, '')).toBe('');
  });
});
