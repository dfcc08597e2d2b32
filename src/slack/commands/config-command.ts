import type { StartOptions } from '../../relay/model/start-options';
import { askedAnything, START_OPTION_KEYS, type StartOptionKey } from '../../relay/model/start-options';
import { echo } from '../../relay/start-option-checks';
import { extractStartOptions } from '../../relay/start-options-text';
import { CONFIG_EXAMPLE, channelDefaultsText } from '../views/channel-defaults-text';
import { acus } from '../views/spend-meter';
import { type CommandContext, tell } from './command-context';
import { CONFIG_SUBCOMMANDS } from './config-subcommands';

/** What `/devin config ...` asks for, as the grammar reads it (no Slack, no store). */
export type ConfigRequest =
  | { kind: 'show' }
  | { kind: 'set'; rest: string }
  | { kind: 'clear'; keys: StartOptionKey[] }
  | { kind: 'sub'; word: string; rest: string }
  | { kind: 'usage'; problem: string };

/** The field of the defaults each option word sets. */
const FIELD: Record<StartOptionKey, keyof StartOptions> = {
  playbook: 'playbook',
  repo: 'repos',
  tag: 'tags',
  mode: 'mode',
  snapshot: 'snapshot',
  acu: 'maxAcu',
};

export function parseConfig(text: string): ConfigRequest {
  const rest = text.trim();
  if (!rest) return { kind: 'show' };
  const [first = '', ...others] = rest.split(/\s+/);
  const word = first.toLowerCase();
  if (word === 'clear') {
    const keys = others.map((k) => k.toLowerCase().replace(/:$/, ''));
    const unknown = keys.find((k) => !START_OPTION_KEYS.includes(k as StartOptionKey));
    if (unknown !== undefined) {
      return usage(
        `\`/devin config clear\` takes one of ${keyList()}, or nothing to clear every default; not \`${echo(unknown, 40)}\`.`,
      );
    }
    return { kind: 'clear', keys: keys as StartOptionKey[] };
  }
  if (CONFIG_SUBCOMMANDS.some((s) => s.word === word)) return { kind: 'sub', word, rest: others.join(' ') };
  return { kind: 'set', rest };
}

/** Whether the request changes anything (refused people may still look). */
export function changesSettings(request: ConfigRequest): boolean {
  return request.kind === 'set' || request.kind === 'clear' || request.kind === 'sub';
}

/** Carries out a request the person may make, and answers them privately. */
export async function configureChannel(ctx: CommandContext, request: ConfigRequest): Promise<void> {
  const at = { team: ctx.team, channel: ctx.channel };
  const { channelSettings, optionLookup } = ctx.deps;
  switch (request.kind) {
    case 'usage':
      return tell(ctx, request.problem);
    case 'show': {
      const record = await channelSettings.get(at);
      const more = CONFIG_SUBCOMMANDS.flatMap((s) => s.shown?.(record) ?? []);
      const budget = await ctx.deps.spending.budgets.get(ctx.team, ctx.channel);
      const budgetLine = budget
        ? `Daily ACU budget: ${acus(budget.acus)} (\`/devin config budget off\` removes it).`
        : undefined;
      return tell(ctx, [channelDefaultsText(record.defaults), ...more, ...(budgetLine ? [budgetLine] : [])].join('\n'));
    }
    case 'sub': {
      const sub = CONFIG_SUBCOMMANDS.find((s) => s.word === request.word);
      return sub?.run(ctx, request.rest);
    }
    case 'clear': {
      const fields = request.keys.map((k) => FIELD[k]);
      const record = await channelSettings.update(at, ctx.userId, (r) => ({
        ...r,
        defaults: without(r.defaults, fields),
      }));
      audited(ctx);
      return tell(ctx, `Cleared. ${channelDefaultsText(record.defaults)}`);
    }
    case 'set': {
      const { text, asked } = extractStartOptions(request.rest);
      if (text || !askedAnything(asked)) {
        const what = text ? ` \`${echo(text, 40)}\` is not one of them.` : '';
        return tell(ctx, `\`/devin config\` takes start options such as \`${CONFIG_EXAMPLE}\`.${what}`);
      }
      const resolved = await optionLookup.resolve(asked);
      if (!resolved.ok) return tell(ctx, `${resolved.problem} Nothing was changed.`);
      const record = await channelSettings.update(at, ctx.userId, (r) => ({
        ...r,
        defaults: { ...(r.defaults ?? {}), ...resolved.options },
      }));
      audited(ctx);
      return tell(ctx, `Saved. ${channelDefaultsText(record.defaults)}`);
    }
  }
}

function without(defaults: StartOptions | undefined, fields: Array<keyof StartOptions>): StartOptions {
  if (fields.length === 0 || !defaults) return {};
  const kept = { ...defaults };
  for (const field of fields) delete kept[field];
  return kept;
}

function audited(ctx: CommandContext): void {
  ctx.deps.audit.record({
    action: 'config',
    outcome: 'done',
    user_id: ctx.userId,
    team_id: ctx.team,
    channel_id: ctx.channel,
  });
}

function keyList(): string {
  return START_OPTION_KEYS.map((k) => `\`${k}\``).join(', ');
}

function usage(problem: string): ConfigRequest {
  return { kind: 'usage', problem };
}
