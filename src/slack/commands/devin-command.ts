import { plainTextNow } from '../text/incoming-text';
import { escapeSlackText } from '../text/outgoing-text';

export type DevinCommand =
  | { kind: 'new'; task: string }
  | { kind: 'link'; ref: string }
  | { kind: 'say'; target: string; message: string }
  | { kind: 'status'; ref: string }
  | { kind: 'list' }
  /** `/devin allow|deny <session> @person`: who besides the starter may steer (the `starter` policy). */
  | { kind: 'allow' | 'deny'; target: string; userId: string }
  | { kind: 'help' }
  | { kind: 'usage'; problem: string };

const EXAMPLE_URL = 'https://app.devin.ai/sessions/0123456789abcdef0123456789abcdef';
const EXAMPLE_PERMALINK = 'https://acme.slack.com/archives/C0123ABC/p1358546515000008';
const MAX_ECHOED_NAME = 40;

const PROBLEMS = {
  newNeedsTask: '`/devin new` needs a task, for example `/devin new fix the flaky login test`.',
  linkNeedsRef: `\`/devin link\` needs a session ID or URL, for example \`/devin link ${EXAMPLE_URL}\`.`,
  linkTakesOneRef: '`/devin link` takes only a session ID or URL; to send a message use `/devin say`.',
  sayNeedsTargetAndMessage:
    '`/devin say` needs a session or thread and a message, ' +
    `for example \`/devin say ${EXAMPLE_URL} please add tests\`.`,
  statusNeedsRef:
    '`/devin status` needs a session ID, session URL or thread permalink, ' +
    `for example \`/devin status ${EXAMPLE_URL}\`.`,
  statusTakesOneRef: '`/devin status` takes only a session ID, session URL or thread permalink.',
  listTakesNothing: '`/devin list` takes nothing after it: it lists your recent sessions.',
  allowNeedsPerson: (verb: string) =>
    `\`/devin ${verb}\` needs a session or thread and a person picked with @, ` +
    `for example \`/devin ${verb} ${EXAMPLE_URL} @alice\`.`,
};

const ASIDE_HINT =
  'Replies in a thread bound to a session reach Devin directly; ' +
  'start a reply with `(aside)` or `!aside` to keep it from Devin.';

const THREAD_KEYWORDS =
  "In a bound thread, a reply of just `mute` or `unmute` stops or resumes Devin's messages there, `EXIT` ends the " +
  'session (after you confirm), and `help` shows this; none of them reaches Devin.';
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
  { syntax: '/devin help', does: 'show this help', example: '/devin help' },
];

export function parseDevinCommand(text: string): DevinCommand {
  const [name, rest] = splitFirstWord(typeof text === 'string' ? text.trim() : '');
  switch (name.toLowerCase()) {
    case '':
    case 'help':
      return { kind: 'help' };
    case 'new':
      return rest ? { kind: 'new', task: rest } : usage(PROBLEMS.newNeedsTask);
    case 'link':
      return parseLink(rest);
    case 'say':
      return parseSay(rest);
    case 'status':
      return parseStatus(rest);
    case 'list':
      return rest ? usage(PROBLEMS.listTakesNothing) : { kind: 'list' };
    case 'allow':
    case 'deny':
      return parsePermission(name.toLowerCase() as 'allow' | 'deny', rest);
    default:
      return usage(`I don't know \`/devin ${echoName(name)}\`.`);
  }
}

export function usageText(): string {
  const lines = SUBCOMMANDS.map(
    ({ syntax, does, example }) => `• \`${escapeSlackText(syntax)}\` — ${does}, e.g. \`${escapeSlackText(example)}\``,
  );
  return ['*Using `/devin`*', ...lines, ASIDE_HINT, THREAD_KEYWORDS, SHORTCUT_HINT].join('\n');
}

function parseLink(rest: string): DevinCommand {
  const [ref, extra] = splitReference(rest);
  if (!ref) return usage(PROBLEMS.linkNeedsRef);
  if (extra) return usage(PROBLEMS.linkTakesOneRef);
  return { kind: 'link', ref };
}

function parseSay(rest: string): DevinCommand {
  const [target, message] = splitReference(rest);
  if (!target || !message) return usage(PROBLEMS.sayNeedsTargetAndMessage);
  return { kind: 'say', target, message };
}

function parseStatus(rest: string): DevinCommand {
  const [ref, extra] = splitReference(rest);
  if (!ref) return usage(PROBLEMS.statusNeedsRef);
  if (extra) return usage(PROBLEMS.statusTakesOneRef);
  return { kind: 'status', ref };
}

/** The person comes as Slack's escaped mention (`<@U0123|alice>`), which carries their id. */
function parsePermission(verb: 'allow' | 'deny', rest: string): DevinCommand {
  const [target, person] = splitReference(rest);
  const mention = /^<@([UW][A-Z0-9]+)(?:\|[^>]*)?>$/.exec(person.trim());
  if (!target || !mention?.[1]) return usage(PROBLEMS.allowNeedsPerson(verb));
  return { kind: verb, target, userId: mention[1] };
}

function usage(problem: string): DevinCommand {
  return { kind: 'usage', problem };
}

function splitFirstWord(text: string): [string, string] {
  const space = text.search(/\s/);
  if (space === -1) return [text, ''];
  return [text.slice(0, space), text.slice(space).trim()];
}

function splitReference(text: string): [string, string] {
  if (text.startsWith('<')) {
    const close = text.indexOf('>');
    if (close !== -1) return [text.slice(0, close + 1), text.slice(close + 1).trim()];
  }
  return splitFirstWord(text);
}

/** The name as the person wrote it (Slack's escaping decoded once), escaped once to be shown. */
function echoName(name: string): string {
  const clean = plainTextNow(name).replace(/`/g, "'");
  const short = clean.length > MAX_ECHOED_NAME ? `${clean.slice(0, MAX_ECHOED_NAME)}…` : clean;
  return escapeSlackText(short);
}
