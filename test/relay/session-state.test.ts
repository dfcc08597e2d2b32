import { isFinal, type SessionState, STATE_LABEL, sessionState } from '../../src/relay/session-state';

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
