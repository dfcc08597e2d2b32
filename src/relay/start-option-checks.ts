import {
  type AskedOptions,
  DEVIN_MODES,
  type DevinMode,
  START_OPTION_KEYS,
  type StartOptionKey,
  type StartOptions,
} from './model/start-options';

/** The most tags one start may carry (Devin takes 50 on a session; the bridge keeps room for its own). */
export const MAX_TAGS = 20;
const MAX_TAG_LENGTH = 100;
const REPO = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/;

/** Checked options (names not looked up yet), or the one sentence that says what is wrong. */
export type SyntaxCheck =
  | { ok: true; options: Omit<StartOptions, 'playbook' | 'snapshot'>; playbook?: string; snapshot?: string }
  | { ok: false; problem: string; key?: StartOptionKey };

/** What a value looks like once echoed in a sentence: short, one line, no backticks. */
export function echo(value: string, max = 60): string {
  const flat = Array.from(value.replace(/[`\s]+/g, ' ').trim());
  return flat.length > max ? `${flat.slice(0, max).join('')}…` : flat.join('');
}

/**
 * The options' values checked, each against what Devin takes: `acu:` a whole number above 0 and within
 * `maxAcuLimit`, `mode:` fast or normal, `repo:` owner/name, tags short and few, names not empty.
 */
export function checkSyntax(asked: AskedOptions, maxAcuLimit: number | undefined): SyntaxCheck {
  const options: Omit<StartOptions, 'playbook' | 'snapshot'> = {};
  if (asked.acu !== undefined) {
    if (!/^\d+$/.test(asked.acu) || Number(asked.acu) <= 0) {
      return fail(
        'acu',
        `\`acu:\` takes a whole number of ACUs above 0, such as \`acu:10\`, not \`${echo(asked.acu)}\`.`,
      );
    }
    const acu = Number(asked.acu);
    if (maxAcuLimit !== undefined && acu > maxAcuLimit) {
      return fail(
        'acu',
        `\`acu:${acu}\` is more than the ${maxAcuLimit} ACUs a session may spend here; give at most \`acu:${maxAcuLimit}\`.`,
      );
    }
    options.maxAcu = acu;
  }
  if (asked.mode !== undefined) {
    const mode = asked.mode.toLowerCase();
    if (!DEVIN_MODES.includes(mode as DevinMode)) {
      return fail('mode', `\`mode:\` takes \`fast\` or \`normal\`, not \`${echo(asked.mode)}\`.`);
    }
    options.mode = mode as DevinMode;
  }
  if (asked.repos?.length) {
    const bad = asked.repos.find((r) => !REPO.test(r));
    if (bad !== undefined) {
      return fail(
        'repo',
        `\`repo:\` takes a repository as owner/name, such as \`repo:acme/web\`, not \`${echo(bad)}\`.`,
      );
    }
    options.repos = [...new Set(asked.repos)];
  }
  if (asked.tags?.length) {
    const tags = [...new Set(asked.tags)];
    if (tags.some((t) => t.length === 0 || t.length > MAX_TAG_LENGTH)) {
      return fail('tag', `\`tag:\` takes a word of 1 to ${MAX_TAG_LENGTH} characters, such as \`tag:urgent\`.`);
    }
    if (tags.length > MAX_TAGS)
      return fail('tag', `A session takes at most ${MAX_TAGS} tags here; ${tags.length} were given.`);
    options.tags = tags;
  }
  for (const key of ['playbook', 'snapshot'] as const) {
    if (asked[key] !== undefined && asked[key].trim() === '') {
      return fail(
        key,
        `\`${key}:\` needs a name or an id, such as \`${key}:"${key === 'playbook' ? 'Fix CI' : 'Base image'}"\`.`,
      );
    }
  }
  return {
    ok: true,
    options,
    ...(asked.playbook !== undefined ? { playbook: asked.playbook.trim() } : {}),
    ...(asked.snapshot !== undefined ? { snapshot: asked.snapshot.trim() } : {}),
  };
}

/** Which option each field of the options is written as. */
const KEY_OF: Record<keyof StartOptions, StartOptionKey> = {
  playbook: 'playbook',
  snapshot: 'snapshot',
  repos: 'repo',
  tags: 'tag',
  mode: 'mode',
  maxAcu: 'acu',
};

/** The options set (or asked for) that the API behind the bridge cannot carry at a session's start. */
export function unsupportedKeys(
  present: ReadonlyArray<keyof StartOptions>,
  supported: readonly StartOptionKey[],
): StartOptionKey[] {
  const keys = new Set(present.map((field) => KEY_OF[field]));
  return START_OPTION_KEYS.filter((key) => keys.has(key) && !supported.includes(key));
}

/** The sentence for options the API cannot carry. */
export function unsupportedSentence(keys: StartOptionKey[], version: string): string {
  const words = keys.map((k) => `\`${k}:\``).join(', ');
  const why: Partial<Record<StartOptionKey, string>> = {
    repo: 'repositories are chosen at a start only by API v3',
    mode: "`mode:` is API v3's `devin_mode`",
    snapshot: 'a snapshot is chosen at a start only by API v1',
  };
  const reasons = keys.flatMap((k) => (why[k] ? [why[k]] : []));
  return `Devin's API ${version} takes no ${words} at a session's start${reasons.length ? ` (${reasons.join('; ')})` : ''}; leave ${keys.length > 1 ? 'them' : 'it'} out and try again.`;
}

function fail(key: StartOptionKey, problem: string): SyntaxCheck {
  return { ok: false, problem, key };
}
