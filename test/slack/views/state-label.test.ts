import { STATE_LABEL } from '../../../src/slack/views/state-label';

describe('STATE_LABEL', () => {
  it('has a distinct label for every state', () => {
    const labels = Object.values(STATE_LABEL);
    expect(labels).toHaveLength(6);
    expect(new Set(labels).size).toBe(6);
  });
});
