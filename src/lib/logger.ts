import { hostname } from 'node:os';
import pino from 'pino';
import type PinoPretty from 'pino-pretty';

export type Logger = pino.Logger;

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** pino-pretty's stream factory. */
export type PrettyFactory = typeof PinoPretty;

export interface LoggerOptions {
  level: LogLevel;
  /** Values that must never be written (tokens, keys, secrets); replaced wherever they appear. */
  secrets: Array<string | undefined>;
  destination?: pino.DestinationStream;
  /** Human-readable lines (pino-pretty) instead of JSON lines; JSON still when pino-pretty cannot be loaded. */
  pretty?: boolean;
  /** How pino-pretty is loaded (by default from `node_modules`, only when `pretty` asks for it). */
  loadPretty?: () => PrettyFactory;
}

const REDACTED = '[redacted]';

export function createLogger({ level, secrets, destination, pretty = false, loadPretty }: LoggerOptions): Logger {
  const known = secrets.filter((s): s is string => typeof s === 'string' && s.length >= 4);
  // Applied to each JSON line before it is written, so that pretty lines are made of scrubbed ones too.
  const scrub = (line: string) => known.reduce((out, secret) => out.split(secret).join(REDACTED), line);
  const prettified = pretty ? prettyStream(destination, loadPretty ?? requirePretty) : undefined;
  const log = pino(
    {
      level,
      // pid and hostname tell replicas apart (pino's own base, which a base of our own would replace).
      base: { app: 'devin-slack', pid: process.pid, hostname: hostname() },
      redact: {
        paths: [
          'token',
          '*.token',
          'authorization',
          '*.authorization',
          '*.headers.authorization',
          'apiKey',
          '*.apiKey',
        ],
        censor: REDACTED,
      },
      hooks: { streamWrite: scrub },
    },
    (prettified && 'stream' in prettified ? prettified.stream : undefined) ?? destination ?? pino.destination(1),
  );
  if (prettified && 'error' in prettified) {
    log.warn({ err: prettified.error }, 'pino-pretty could not be loaded; logging JSON lines');
  }
  return log;
}

function prettyStream(
  destination: pino.DestinationStream | undefined,
  load: () => PrettyFactory,
): { stream: pino.DestinationStream } | { error: unknown } {
  try {
    const build = load();
    return {
      stream: build({
        destination: destination ?? 1,
        // Written as they are logged, so that a line is never lost in an exit, nor written out of order.
        sync: true,
        colorize: destination === undefined,
        translateTime: 'SYS:HH:MM:ss.l',
        ignore: 'pid,hostname,app',
      }),
    };
  } catch (error) {
    return { error };
  }
}

function requirePretty(): PrettyFactory {
  // Loaded only when asked for: a JSON logger never needs it.
  return require('pino-pretty') as PrettyFactory;
}
