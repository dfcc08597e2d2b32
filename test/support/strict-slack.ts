import { appendFileSync } from 'node:fs';
import { type LimitBreach, responseBreach } from './slack-limits';

/** A call the strict fake Slack refused (or took while losing something), as the test that made it will read it. */
export interface Refusal extends LimitBreach {
  method: string;
  /** Which fake saw it (`FakeSlack.port`). */
  port: number;
  at: number;
}

interface Ledger {
  /** Every Web API call and response_url POST checked against Slack's limits, in this test file. */
  checked: number;
  /** Of those, the ones a limit governs (messages, views, reactions, uploads, statuses). */
  governed: number;
  /** Refusals no test has taken yet: the next `afterEach` fails its test with them. */
  pending: Refusal[];
}

const KEY = Symbol.for('devin-slack.strict-slack');
/** Where each test file adds its counts, for the run's total (`strict-slack-tally.ts` sets it). */
export const TALLY_ENV = 'STRICT_SLACK_TALLY';

function ledger(): Ledger {
  const holder = globalThis as unknown as Record<symbol, Ledger | undefined>;
  holder[KEY] ??= { checked: 0, governed: 0, pending: [] };
  return holder[KEY];
}

/** Counts one checked call; a breach is kept until a test takes it or the test ends. */
export function recordChecked(governed: boolean, refusal?: Refusal): void {
  const book = ledger();
  book.checked += 1;
  if (governed) book.governed += 1;
  if (refusal) book.pending.push(refusal);
}

/**
 * Checks the message the app answered a slash command with (in the HTTP response, or a Socket Mode acknowledgement's
 * payload), as Slack checks it before showing it.
 */
export function checkCommandAnswer(where: string, body: unknown): void {
  if (body === null || typeof body !== 'object' || !('text' in body || 'blocks' in body)) return;
  const breach = responseBreach(body);
  recordChecked(true, breach ? { ...breach, method: where, port: 0, at: Date.now() } : undefined);
}

/** The refusals one fake (by port) made and no test took yet, taken: the test expected them. */
export function takeRefusals(port: number): Refusal[] {
  const book = ledger();
  const mine = book.pending.filter((r) => r.port === port);
  book.pending = book.pending.filter((r) => r.port !== port);
  return mine;
}

/** Every refusal no test took, taken; the sentence a failing test shows names each call and limit. */
export function takeUnexpected(): string | undefined {
  const book = ledger();
  const pending = book.pending;
  book.pending = [];
  if (pending.length === 0) return undefined;
  const lines = pending.map(
    (r) => `${r.method} ${r.refused ? `refused with ${r.error}` : 'taken, but'}: ${r.limits.join('; ')}`,
  );
  return `The strict fake Slack saw ${pending.length} call(s) real Slack would not take:\n  ${lines.join('\n  ')}`;
}

/** Adds this test file's counts to the run's tally (one JSON line), when the run keeps one. */
export function addToTally(file: string): void {
  const path = process.env[TALLY_ENV];
  const { checked, governed } = ledger();
  if (path && checked > 0) appendFileSync(path, `${JSON.stringify({ file, checked, governed })}\n`);
}
