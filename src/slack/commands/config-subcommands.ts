import type { CommandContext } from './command-context';

/**
 * A setting of a channel kept by its own word (its help line goes in `views/config-usage.ts`) after `/devin config` (`/devin config budget 50`), beside the start
 * options' defaults: each lives in its own file and is listed in `CONFIG_SUBCOMMANDS`. It is run once the person was
 * allowed to change the channel's settings (`mayConfigure`), and answers them itself (`tell`).
 */
export interface ConfigSubcommand {
  /** The word after `/devin config`, lower case. */
  word: string;
  /** What the channel has set (one line, mrkdwn), shown by `/devin config` and on the App Home; undefined for nothing. */
  shown?: (record: Record<string, unknown>) => string | undefined;
  run(ctx: CommandContext, rest: string): Promise<void>;
}

/** Every `/devin config <word>` besides the start options and `clear`. */
export const CONFIG_SUBCOMMANDS: readonly ConfigSubcommand[] = [];
