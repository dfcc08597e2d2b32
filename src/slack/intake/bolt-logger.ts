import { type Logger as BoltLogger, LogLevel } from '@slack/bolt';
import type { Logger } from '../../lib/logger';

/**
 * How much of one Bolt line is logged. At debug, Bolt's Web API client logs every request and response body
 * (`http request body: {...}`), and Socket Mode every envelope: message text that may hold what people paste.
 */
export const MAX_BOLT_LINE = 200;
/** Characters secrets are made of: a cut never falls between two of them. */
const SECRET_CHAR = /[\w\-.~+/=]/;

/** Bolt's own log lines, in our structured log, each cut to `MAX_BOLT_LINE` characters. */
export function boltLogger(log: Logger): BoltLogger {
  const child = log.child({ component: 'bolt' });
  const text = (parts: unknown[]) =>
    boundLine(parts.map((p) => (p instanceof Error ? p.message : String(p))).join(' '));
  return {
    debug: (...msg) => child.debug(text(msg)),
    info: (...msg) => child.info(text(msg)),
    warn: (...msg) => child.warn(text(msg)),
    error: (...msg) => child.error(text(msg)),
    setLevel: () => undefined,
    getLevel: () => (child.level as LogLevel) ?? LogLevel.INFO,
    setName: () => undefined,
  };
}

/**
 * `line`, or its first `max` characters and how many more there were. The cut steps back out of a run of letters,
 * digits and `-_.~+/=`, so that a token is either logged whole (and then scrubbed by the logger) or not at all: a
 * token cut in half would no longer be recognised as a secret.
 */
export function boundLine(line: string, max = MAX_BOLT_LINE): string {
  if (line.length <= max) return line;
  let cut = max;
  while (cut > 0 && SECRET_CHAR.test(line.charAt(cut - 1)) && SECRET_CHAR.test(line.charAt(cut))) cut--;
  const last = line.charCodeAt(cut - 1);
  if (last >= 0xd800 && last <= 0xdbff) cut--;
  return `${line.slice(0, cut)}… [${line.length - cut} more characters not logged]`;
}
