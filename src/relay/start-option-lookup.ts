import type { Clock } from '../lib/clock';
import { TtlCache } from '../lib/ttl-cache';
import type { AskedOptions, NamedRef, StartOptionKey, StartOptions } from './model/start-options';
import type { DevinApi, PlaybookEntry } from './ports/devin';
import { checkSyntax, echo, type SyntaxCheck, unsupportedKeys, unsupportedSentence } from './start-option-checks';

/** How long the organization's playbooks are remembered before they are listed again. */
export const LOOKUP_TTL_MS = 5 * 60_000;
/** How many candidates a sentence about a name that matched none, or several, names. */
const CANDIDATES = 5;

/** The options as Devin takes them, or the one sentence that says why they cannot be. */
export type OptionsOutcome = { ok: true; options: StartOptions } | { ok: false; problem: string };

export interface StartOptionLookupDeps {
  devin: Pick<DevinApi, 'version' | 'capabilities' | 'listPlaybooks'>;
  clock: Clock;
  /** `DEVIN_MAX_ACU_LIMIT`: no `acu:` above it. */
  maxAcuLimit?: number;
  ttlMs?: number;
}

/**
 * Start options checked and their names looked up in the organization: a playbook by its id (`playbook-…`), its title
 * or its macro (`!deploy`), exactly (case aside) or, when nothing is exact, as the one title that contains the words;
 * a snapshot by its id only (no version of Devin's API that the bridge speaks lists snapshots). The playbooks are
 * listed once per `ttlMs`.
 */
export class StartOptionLookup {
  private readonly playbooks: TtlCache<PlaybookEntry[]>;

  constructor(private readonly deps: StartOptionLookupDeps) {
    this.playbooks = new TtlCache({ ttlMs: deps.ttlMs ?? LOOKUP_TTL_MS, max: 1, now: () => deps.clock.now() });
  }

  /** The values checked, nothing looked up (a form's inputs, before the form closes). */
  check(asked: AskedOptions): SyntaxCheck {
    return checkSyntax(asked, this.deps.maxAcuLimit);
  }

  /** Checks and looks up what was asked; a failure of Devin's API (refused, no answer) is thrown. */
  async resolve(asked: AskedOptions): Promise<OptionsOutcome> {
    const syntax = checkSyntax(asked, this.deps.maxAcuLimit);
    if (!syntax.ok) return syntax;
    const options: StartOptions = { ...syntax.options };
    const present = [
      ...(Object.keys(options) as Array<keyof StartOptions>),
      ...(syntax.playbook !== undefined ? (['playbook'] as const) : []),
      ...(syntax.snapshot !== undefined ? (['snapshot'] as const) : []),
    ];
    const refused = this.unsupported(present);
    if (refused) return { ok: false, problem: refused };
    if (syntax.snapshot !== undefined) {
      if (!/^snapshot-[A-Za-z0-9_-]+$/.test(syntax.snapshot)) {
        return {
          ok: false,
          problem:
            `Devin's API offers no list of snapshots to look up \`${echo(syntax.snapshot)}\` in; give the snapshot's ` +
            'id instead, such as `snapshot:snapshot-0123abcd` (Devin shows it in its settings).',
        };
      }
      options.snapshot = { id: syntax.snapshot };
    }
    if (syntax.playbook !== undefined) {
      const found = await this.playbook(syntax.playbook);
      if (!found.ok) return found;
      options.playbook = found.ref;
    }
    return { ok: true, options };
  }

  /** The start options the API behind the bridge carries. */
  get supported(): readonly StartOptionKey[] {
    return this.deps.devin.capabilities.startOptions;
  }

  /** The sentence for options (set or asked for) that the API behind the bridge cannot carry; undefined when it can. */
  unsupported(present: ReadonlyArray<keyof StartOptions>): string | undefined {
    const keys = unsupportedKeys(present, this.deps.devin.capabilities.startOptions);
    return keys.length ? unsupportedSentence(keys, this.deps.devin.version) : undefined;
  }

  private async playbook(name: string): Promise<{ ok: true; ref: NamedRef } | { ok: false; problem: string }> {
    if (/^playbook-[A-Za-z0-9_-]+$/.test(name)) return { ok: true, ref: { id: name } };
    const all = await this.listPlaybooks();
    const wanted = name.toLowerCase();
    const exact = all.filter((p) => p.title.toLowerCase() === wanted || p.macro?.toLowerCase() === wanted);
    const matches = exact.length ? exact : all.filter((p) => p.title.toLowerCase().includes(wanted));
    const [only] = matches;
    if (matches.length === 1 && only) return { ok: true, ref: { id: only.id, name: only.title } };
    if (matches.length > 1) {
      return {
        ok: false,
        problem:
          `Several playbooks match \`${echo(name)}\`: ${listed(matches)}; give its full title or its id, such as ` +
          `\`playbook:${matches[0]?.id}\`.`,
      };
    }
    const some = all.length
      ? ` Some there are: ${listed(all)}.`
      : ' The organization has no playbooks the bridge can see.';
    return { ok: false, problem: `No playbook matches \`${echo(name)}\`.${some}` };
  }

  private async listPlaybooks(): Promise<PlaybookEntry[]> {
    const cached = this.playbooks.get('all');
    if (cached) return cached.value;
    const all = await this.deps.devin.listPlaybooks();
    this.playbooks.set('all', all);
    return all;
  }
}

/** A few playbooks, named with their ids. */
function listed(playbooks: PlaybookEntry[]): string {
  const named = playbooks.slice(0, CANDIDATES).map((p) => `${echo(p.title, 40)} (${echo(p.id, 40)})`);
  const more = playbooks.length > CANDIDATES ? ` and ${playbooks.length - CANDIDATES} more` : '';
  return `${named.join(', ')}${more}`;
}
