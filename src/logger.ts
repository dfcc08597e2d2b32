import pino from 'pino';
import type { LogLevel } from './config';

export type Logger = pino.Logger;

export interface LoggerOptions {
  level: LogLevel;
  /** Values that must never be written (tokens, keys, secrets); replaced wherever they appear. */
  secrets: Array<string | undefined>;
  destination?: pino.DestinationStream;
}

const REDACTED = '[redacted]';

export function createLogger({ level, secrets, destination }: LoggerOptions): Logger {
  const known = secrets.filter((s): s is string => typeof s === 'string' && s.length >= 4);
  const scrub = (line: string) => known.reduce((out, secret) => out.split(secret).join(REDACTED), line);
  return pino(
    {
      level,
      base: { app: 'devin-slack' },
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
    destination ?? pino.destination(1),
  );
}
