import { detailKey, isFinal, type SessionState } from '../../../src/relay/model/session-state';

describe('detailKey', () => {
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
