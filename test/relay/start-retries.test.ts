import type { PendingStart } from '../../src/relay/model/starts';
import { DevinApiError, DevinNetworkError } from '../../src/relay/ports/devin-errors';
import { afterFailure } from '../../src/relay/start-retries';

const start: PendingStart = {
  id: 'T1:C1:1.0',
  source: 'mention',
  team: 'T1',
  channel: 'C1',
  user: 'U1',
  text: 'fix it',
  receivedAt: 0,
  attempts: 0,
};
const at = { now: 1_000, random: 0.5, retryWindowMs: 120_000 };

describe('afterFailure', () => {
  it('gives a start up at once when Devin refuses it for good, with the sentence for the person', () => {
    const next = afterFailure(start, new DevinApiError('bad prompt', 400, 'prompt too long'), at);
    expect(next).toEqual({ kind: 'refused', reason: expect.stringContaining('prompt too long') });
  });

  it('tries again later when Devin is in trouble, rate limits (after its Retry-After) or does not answer', () => {
    expect(afterFailure(start, new DevinApiError('down', 503), at)).toMatchObject({ kind: 'retry', attempts: 1 });
    const limited = afterFailure(start, new DevinApiError('slow down', 429, undefined, 30_000), at);
    expect(limited).toMatchObject({ kind: 'retry', attempts: 1 });
    expect((limited as { delayMs: number }).delayMs).toBeGreaterThanOrEqual(30_000);
    expect(afterFailure(start, new DevinNetworkError('no answer', 'TIMEOUT'), at)).toMatchObject({ kind: 'retry' });
  });

  it('tries again after an answer that could not be read: it may hide a session that was made', () => {
    expect(afterFailure(start, new DevinApiError('unreadable', 200), at)).toMatchObject({ kind: 'retry' });
  });

  it('gives up when the next try would fall past the retry window, or after too many attempts', () => {
    const late = { ...at, now: start.receivedAt + at.retryWindowMs - 1 };
    expect(afterFailure(start, new DevinApiError('down', 503), late)).toMatchObject({
      kind: 'give-up',
      reason: expect.stringContaining('HTTP 503'),
    });
    expect(afterFailure({ ...start, attempts: 7 }, new DevinApiError('down', 503), at)).toMatchObject({
      kind: 'give-up',
      attempts: 8,
    });
  });

  it("gives up on the app's own failure without blaming Devin", () => {
    const late = { ...at, now: at.retryWindowMs };
    expect(afterFailure(start, new Error('store down'), late)).toEqual({
      kind: 'give-up',
      attempts: 1,
      reason: undefined,
    });
  });
});
