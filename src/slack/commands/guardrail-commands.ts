/** The `/devin` subcommands of spending and attention: `cost`, `digest`, and `config budget`. */
export type GuardrailCommand =
  | { kind: 'cost'; period: 'today' | 'week' }
  /** `at`: `HH:MM` in the person's time zone (kept as it was when unset). */
  | { kind: 'digest'; on: boolean; at?: string }
  /** `acus`: the channel's daily budget; `off`: none; unset: show it. */
  | { kind: 'budget'; acus?: number | 'off' };

type Parsed = GuardrailCommand | { kind: 'usage'; problem: string };

export const GUARDRAIL_PROBLEMS = {
  cost: '`/devin cost` takes `today` (the default) or `week`, for example `/devin cost week`.',
  digest: '`/devin digest` takes `on` or `off`, and a time of day as `HH:MM`, for example `/devin digest on 09:30`.',
  budget:
    '`/devin config budget` takes a whole number of ACUs a day, or `off`, for example `/devin config budget 200`.',
};

/**
 * The guardrail subcommands, or undefined for any other: `cost [today|week]`, `digest on|off [HH:MM]`, and
 * `config budget [<n>|off]` (the rest of `/devin config` is not parsed here).
 */
export function parseGuardrailCommand(name: string, rest: string): Parsed | undefined {
  const words = rest.split(/\s+/).filter(Boolean);
  switch (name.toLowerCase()) {
    case 'cost': {
      const period = (words[0] ?? 'today').toLowerCase();
      if (words.length > 1 || (period !== 'today' && period !== 'week')) return usage(GUARDRAIL_PROBLEMS.cost);
      return { kind: 'cost', period };
    }
    case 'digest':
      return parseDigest(words);
    case 'config':
      return words[0]?.toLowerCase() === 'budget' ? parseBudget(words.slice(1)) : undefined;
    default:
      return undefined;
  }
}

function parseDigest(words: string[]): Parsed {
  const [toggle, at, extra] = words;
  const on = toggle?.toLowerCase();
  if ((on !== 'on' && on !== 'off') || extra !== undefined) return usage(GUARDRAIL_PROBLEMS.digest);
  if (at === undefined) return { kind: 'digest', on: on === 'on' };
  const time = /^([01]?\d|2[0-3]):([0-5]\d)$/.exec(at);
  if (!time || on === 'off') return usage(GUARDRAIL_PROBLEMS.digest);
  return { kind: 'digest', on: true, at: `${time[1]?.padStart(2, '0')}:${time[2]}` };
}

function parseBudget(words: string[]): Parsed {
  const [value, extra] = words;
  if (extra !== undefined) return usage(GUARDRAIL_PROBLEMS.budget);
  if (value === undefined) return { kind: 'budget' };
  if (value.toLowerCase() === 'off') return { kind: 'budget', acus: 'off' };
  if (!/^\d{1,7}$/.test(value) || Number(value) <= 0) return usage(GUARDRAIL_PROBLEMS.budget);
  return { kind: 'budget', acus: Number(value) };
}

function usage(problem: string): Parsed {
  return { kind: 'usage', problem };
}
