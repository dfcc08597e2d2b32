import { METER_CELLS as CELLS } from '../../relay/model/spend';

/** What a session spent, to the tenth: `1.5 ACUs`. */
export function acus(value: number): string {
  const rounded = Math.round(value * 10) / 10;
  return `${rounded} ACU${rounded === 1 ? '' : 's'}`;
}

/**
 * What a session spent against its cap, short enough for a status line: `3.3 of 10 ACUs ▰▰▰▱▱▱▱▱▱▱`; over the cap, the
 * bar is full and says so. Without a cap, what it spent (`3.3 ACUs`).
 */
export function spendMeter(spent: number, cap: number | undefined): string {
  if (!cap || cap <= 0 || !Number.isFinite(cap)) return acus(spent);
  const ratio = Math.max(0, spent) / cap;
  const full = Math.min(CELLS, Math.floor(ratio * CELLS));
  const bar = '▰'.repeat(full) + '▱'.repeat(CELLS - full);
  const rounded = Math.round(spent * 10) / 10;
  return `${rounded} of ${acus(cap)} ${bar}${ratio >= 1 ? ' (all spent)' : ''}`;
}
