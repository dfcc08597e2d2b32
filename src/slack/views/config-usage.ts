/** A `/devin` subcommand as the help shows it: its syntax, what it does, an example. */
export interface SubcommandUsage {
  syntax: string;
  does: string;
  example: string;
}

/**
 * The help lines of `/devin config`: the start options' defaults, then each further key kept by its own file
 * (`commands/config-subcommands.ts`), such as a daily budget; add a key's line here beside its handler there.
 */
export const CONFIG_USAGES: readonly SubcommandUsage[] = [
  {
    syntax: '/devin config [options | clear [key]]',
    does: "show or set this channel's defaults for new sessions",
    example: '/devin config playbook:"Fix CI" repo:acme/web tag:web mode:fast acu:10',
  },
  {
    syntax: '/devin config budget <ACUs>|off',
    does: "this channel's daily ACU budget: new sessions wait for the next UTC day once it is spent",
    example: '/devin config budget 200',
  },
];
