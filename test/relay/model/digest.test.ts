import { knownTimeZone, nextDigestAt } from '../../../src/relay/model/digest';
import { daysBetween, nearCap, nextUtcMidnight, utcDay } from '../../../src/relay/model/spend';

describe('nextDigestAt', () => {
  it('is the next time the clock reads HH:MM in UTC', () => {
    const now = Date.UTC(2026, 11, 6, 8, 0);
    expect(nextDigestAt({ at: '09:30' }, now)).toBe(Date.UTC(2026, 11, 6, 9, 30));
    expect(nextDigestAt({ at: '07:00' }, now)).toBe(Date.UTC(2026, 11, 7, 7, 0));
    expect(nextDigestAt({ at: '08:00' }, now)).toBe(Date.UTC(2026, 11, 7, 8, 0));
  });

  it("is the next time the clock reads HH:MM in the person's zone, across a change of summer time", () => {
    // New York is UTC-5 in winter, UTC-4 in summer (from 8 March 2026, 2:00).
    expect(nextDigestAt({ at: '09:30', timeZone: 'America/New_York' }, Date.UTC(2026, 11, 6, 12, 0))).toBe(
      Date.UTC(2026, 11, 6, 14, 30),
    );
    expect(nextDigestAt({ at: '09:30', timeZone: 'America/New_York' }, Date.UTC(2026, 2, 7, 15, 0))).toBe(
      Date.UTC(2026, 2, 8, 13, 30),
    );
    expect(nextDigestAt({ at: '00:15', timeZone: 'Asia/Tokyo' }, Date.UTC(2026, 11, 6, 15, 0))).toBe(
      Date.UTC(2026, 11, 6, 15, 15),
    );
  });

  it('falls back to UTC for a zone the runtime does not know', () => {
    expect(knownTimeZone('Mars/Olympus')).toBe(false);
    expect(nextDigestAt({ at: '09:30', timeZone: 'Mars/Olympus' }, Date.UTC(2026, 11, 6, 8))).toBe(
      Date.UTC(2026, 11, 6, 9, 30),
    );
  });
});

describe('UTC days and caps', () => {
  it('counts days in UTC and resets at the next UTC midnight', () => {
    const late = Date.UTC(2026, 11, 6, 23, 59);
    expect(utcDay(late)).toBe('2026-12-06');
    expect(nextUtcMidnight(late)).toBe(Date.UTC(2026, 11, 7));
    expect(daysBetween(late - 6 * 86_400_000, late)).toHaveLength(7);
  });

  it('is near the cap from 80% of it, and never without one', () => {
    expect(nearCap({ cap: 10, acus: 7.99 })).toBe(false);
    expect(nearCap({ cap: 10, acus: 8 })).toBe(true);
    expect(nearCap({ acus: 1000 })).toBe(false);
  });
});
