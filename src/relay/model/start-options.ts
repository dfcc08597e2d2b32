/** How Devin works on a session (v3's `devin_mode`). */
export type DevinMode = 'fast' | 'normal';

export const DEVIN_MODES: readonly DevinMode[] = ['fast', 'normal'];

/** The start options people may give, by the word they write before the colon (`playbook:fix-ci`). */
export type StartOptionKey = 'playbook' | 'repo' | 'tag' | 'mode' | 'snapshot' | 'acu';

export const START_OPTION_KEYS: readonly StartOptionKey[] = ['playbook', 'repo', 'tag', 'mode', 'snapshot', 'acu'];

/** A playbook or snapshot as Devin knows it: its id, and the name people gave when they named it. */
export interface NamedRef {
  id: string;
  name?: string;
}

/** A session's start options as Devin takes them: names looked up, numbers read, every value checked. */
export interface StartOptions {
  playbook?: NamedRef;
  snapshot?: NamedRef;
  /** `owner/name` repositories (v3 `repos`). */
  repos?: string[];
  tags?: string[];
  mode?: DevinMode;
  /** The most ACUs the session may spend (at most `DEVIN_MAX_ACU_LIMIT`). */
  maxAcu?: number;
}

/** The options as people wrote them, each value a string still to be checked and looked up. */
export interface AskedOptions {
  playbook?: string;
  snapshot?: string;
  repos?: string[];
  tags?: string[];
  mode?: string;
  acu?: string;
}

/** Whether anything was asked for. */
export function askedAnything(asked: AskedOptions): boolean {
  return Object.values(asked).some((v) => (Array.isArray(v) ? v.length > 0 : v !== undefined));
}

/**
 * The options of a start: those given at the start win over the channel's defaults, key by key (a start's `repo:` or
 * `tag:` replaces the defaults' list rather than adding to it).
 */
export function withDefaults(given: StartOptions, defaults: StartOptions | undefined): StartOptions {
  return { ...(defaults ?? {}), ...given };
}
