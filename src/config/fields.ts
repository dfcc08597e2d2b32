import { z } from 'zod';

/** A variable as the environment gives it: trimmed, and unset when blank. */
export const optional = z
  .string()
  .trim()
  .transform((v) => (v === '' ? undefined : v))
  .optional();

/** A positive whole number with a default, such as a limit (`what`: its unit, for the message). */
export const count = (fallback: number, name: string, what: string) =>
  optional.pipe(
    z.coerce
      .number<string | undefined>({ error: `${name} must be a number of ${what}` })
      .int(`${name} must be a whole number of ${what}`)
      .positive(`${name} must be greater than 0`)
      .default(fallback),
  );

export const milliseconds = (fallback: number, name: string) => count(fallback, name, 'milliseconds');

/** `true` or `false`, with a default. */
export const flag = (fallback: 'true' | 'false', name: string) =>
  optional.pipe(z.enum(['true', 'false'], { error: `${name} must be true or false` }).default(fallback));

/** A comma-separated list of Slack ids (`U0123ABC,W0456DEF`); unset or blank is no list. */
export const slackIds = (name: string, example: string) =>
  optional.pipe(
    z
      .string()
      .transform((v) => v.split(/[\s,]+/).filter(Boolean))
      .pipe(
        z.array(
          z.string().regex(/^[A-Z0-9]{2,}$/, `${name} must be Slack ids separated by commas, such as ${example}`),
        ),
      )
      .optional(),
  );

/** A proxy's address: `http://` or `https://`, with a host (and a user and password when it asks for them). */
export const proxyUrl = (name: string) =>
  optional.pipe(
    z
      .url({ protocol: /^https?$/, error: `${name} must be a proxy URL such as http://proxy.example.com:3128` })
      .optional(),
  );
