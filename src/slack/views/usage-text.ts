import { escapeSlackText } from '../text/outgoing-text';
import { CONFIG_USAGES } from './config-usage';

/** A session's address and a thread's permalink, as the usage and its problems show them. */
export const EXAMPLE_URL = 'https://app.devin.ai/sessions/0123456789abcdef0123456789abcdef';
const EXAMPLE_PERMALINK = 'https://acme.slack.com/archives/C0123ABC/p1358546515000008';

const ASIDE_HINT =
  'Replies in a thread bound to a session reach Devin directly; ' +
  'start a reply with `(aside)` or `!aside` to keep it from Devin.';

const THREAD_KEYWORDS =
  "In a bound thread, a reply of just `mute` or `unmute` stops or resumes Devin's messages there, `EXIT` ends the " +
  'session and `archive` archives it (each after you confirm; archiving needs API v3), `acu:&lt;n&gt;` ' +
  'asks to raise its ACU cap, and `help` shows this; none of them reaches Devin.';
const START_OPTIONS =
  'A start (`/devin new`, a mention, a direct message) takes options anywhere in its words, taken out of the task: ' +
  '`playbook:<title or id>`, `repo:<owner/name>` and `tag:<tag>` (each may repeat), `mode:fast|normal`, ' +
  '`snapshot:<id>` and `acu:<most ACUs>`, e.g. `@Devin fix the flaky test playbook:"Fix CI" tag:ci acu:10`; ' +
  "they win over the channel's defaults.";
const SHORTCUT_HINT =
  '*Send to Devin* in the menu of any message (also in threads, where slash commands do not work) sends it to ' +
  "its thread's session, or to one of yours, or starts a new one with it. The app's *Home* tab lists your sessions.";

const SUBCOMMANDS = [
  { syntax: '/devin new <task>', does: 'start a new Devin session', example: '/devin new fix the flaky login test' },
  {
    syntax: '/devin link <session id | session URL>',
    does: 'bind this thread to an existing session',
    example: `/devin link ${EXAMPLE_URL}`,
  },
  {
    syntax: '/devin say <session id | session URL | thread permalink> <message>',
    does: 'send a message to a session',
    example: `/devin say ${EXAMPLE_PERMALINK} please also update the changelog`,
  },
  {
    syntax: '/devin status <session id | session URL | thread permalink>',
    does: "show a session's status",
    example: '/devin status devin-0123456789abcdef0123456789abcdef',
  },
  { syntax: '/devin list', does: 'list your recent sessions, with links to their threads', example: '/devin list' },
  {
    syntax: '/devin allow <session | thread permalink> @person',
    does: 'let someone else steer a session you started (when only starters may steer)',
    example: `/devin allow ${EXAMPLE_URL} @alice`,
  },
  {
    syntax: '/devin deny <session | thread permalink> @person',
    does: 'take that back',
    example: `/devin deny ${EXAMPLE_URL} @alice`,
  },
  ...CONFIG_USAGES,
  {
    syntax: '/devin cost [today|week]',
    does: 'ACUs spent by channel and by person (Devin API v3)',
    example: '/devin cost week',
  },
  {
    syntax: '/devin digest on|off [HH:MM]',
    does: 'a daily direct message of the sessions waiting for you, at your time (your Slack time zone)',
    example: '/devin digest on 09:30',
  },
  { syntax: '/devin help', does: 'show this help', example: '/devin help' },
];

/** How to use the app: every `/devin` subcommand with an example, the thread keywords and the shortcut. */
export function usageText(): string {
  const lines = SUBCOMMANDS.map(
    ({ syntax, does, example }) => `• \`${escapeSlackText(syntax)}\` — ${does}, e.g. \`${escapeSlackText(example)}\``,
  );
  return [
    '*Using `/devin`*',
    ...lines,
    escapeSlackText(START_OPTIONS),
    ASIDE_HINT,
    THREAD_KEYWORDS,
    SHORTCUT_HINT,
  ].join('\n');
}
