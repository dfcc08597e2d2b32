import type { ChannelSettings } from './channel-settings';
import { type StartOptions, withDefaults } from './model/start-options';
import type { PendingStart } from './model/starts';
import type { OptionsOutcome, StartOptionLookup } from './start-option-lookup';
import { extractStartOptions } from './start-options-text';

/** A start's words without its options, and the options the session is created with; or why it cannot start. */
export type StartChoice = { ok: true; text: string; options: StartOptions } | { ok: false; problem: string };

export interface StartOptionChoiceDeps {
  lookup: Pick<StartOptionLookup, 'resolve' | 'unsupported'>;
  settings: Pick<ChannelSettings, 'defaults'>;
}

/**
 * The options a session starts with: those written in the task (taken out of its words), or those of the Send to
 * Devin form (which showed the channel's defaults and holds what the person kept), over the channel's defaults.
 */
export class StartOptionChoice {
  constructor(private readonly deps: StartOptionChoiceDeps) {}

  async forStart(start: PendingStart): Promise<StartChoice> {
    const fromForm = start.source === 'shortcut';
    const { text, asked } = fromForm ? { text: start.text, asked: start.asked ?? {} } : extractStartOptions(start.text);
    const given: OptionsOutcome = await this.deps.lookup.resolve(asked);
    if (!given.ok) return given;
    if (fromForm) return { ok: true, text, options: given.options };
    const defaults = await this.deps.settings.defaults({ team: start.team, channel: start.channel });
    const options = withDefaults(given.options, defaults);
    const stale = this.deps.lookup.unsupported(Object.keys(options) as Array<keyof StartOptions>);
    if (stale) return { ok: false, problem: `${stale} (It may be this channel's default: see \`/devin config\`.)` };
    return { ok: true, text, options };
  }
}
