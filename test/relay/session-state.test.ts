import {
  detailKey,
  isFinal,
  type SessionState,
  STATE_LABEL,
  sessionState,
  stateDetail,
} from '../../src/relay/model/session-state';

describe('sessionState', () => {
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
    expect(sessionState({ status_enum: statusEnum })).toBe(state);
    expect(sessionState({ status_enum: statusEnum, status: 'something else entirely' })).toBe(state);
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
    expect(sessionState({ status })).toBe(state);
    expect(sessionState({ status, status_enum: null })).toBe(state);
  });

  it('falls back to the free-text status when status_enum is unknown', () => {
    expect(sessionState({ status_enum: 'teleporting', status: 'running' })).toBe('working');
    expect(sessionState({ status_enum: '', status: 'suspended' })).toBe('asleep');
  });

  it('prefers a known status_enum over a contradicting status', () => {
    expect(sessionState({ status_enum: 'blocked', status: 'running' })).toBe('waiting');
    expect(sessionState({ status_enum: 'finished', status: 'running' })).toBe('finished');
  });

  it('ignores case in both fields', () => {
    expect(sessionState({ status_enum: 'SUSPEND_REQUESTED' })).toBe('asleep');
    expect(sessionState({ status_enum: 'Blocked' })).toBe('waiting');
    expect(sessionState({ status: 'RUNNING' })).toBe('working');
    expect(sessionState({ status: 'Exit' })).toBe('finished');
  });

  it('is undefined when neither field is known', () => {
    expect(sessionState({})).toBeUndefined();
    expect(sessionState({ status: null, status_enum: null })).toBeUndefined();
    expect(sessionState({ status: '', status_enum: '' })).toBeUndefined();
    expect(sessionState({ status: 'pondering', status_enum: 'teleporting' })).toBeUndefined();
    expect(sessionState({ status: 'constructor' })).toBeUndefined();
    expect(sessionState({ status_enum: 'toString' })).toBeUndefined();
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
    expect(sessionState({ status, status_enum: null, ...(statusDetail ? { statusDetail } : {}) })).toBe(state);
  });

  it('keeps an unknown status unknown (the last known state stays), whatever its detail', () => {
    expect(sessionState({ status: 'teleporting', statusDetail: 'working' })).toBeUndefined();
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
    expect(stateDetail({ status, ...(statusDetail ? { statusDetail } : {}) })).toEqual(detail);
  });

  it('gives each detail its own key', () => {
    expect(
      [undefined, { kind: 'approval' }, { kind: 'quota', reason: 'out_of_credits' }].map((d) =>
        detailKey(d as Parameters<typeof detailKey>[0]),
      ),
    ).toEqual(['', 'approval', 'quota:out_of_credits']);
  });
});

describe('isFinal', () => {
  it('is true only for finished, expired and failed sessions', () => {
    const states: (SessionState | undefined)[] = [
      'working',
      'waiting',
      'asleep',
      'finished',
      'expired',
      'error',
      undefined,
    ];
    expect(states.filter(isFinal)).toEqual(['finished', 'expired', 'error']);
  });
});

describe('STATE_LABEL', () => {
  it('has a distinct label for every state', () => {
    const labels = Object.values(STATE_LABEL);
    expect(labels).toHaveLength(6);
    expect(new Set(labels).size).toBe(6);
  });
});
