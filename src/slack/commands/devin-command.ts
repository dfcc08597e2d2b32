import { extractStartOptions } from '../../relay/start-options-text';
import { plainTextNow } from '../text/incoming-text';
import { escapeSlackText } from '../text/outgoing-text';
import { EXAMPLE_URL } from '../views/usage-text';
import { type GuardrailCommand, parseGuardrailCommand } from './guardrail-commands';

export type DevinCommand =
  | { kind: 'new'; task: string }
  | { kind: 'link'; ref: string }
  | { kind: 'say'; target: string; message: string }
  | { kind: 'status'; ref: string }
  | { kind: 'list' }
  /** `/devin allow|deny <session> @person`: who besides the starter may steer (the `starter` policy). */
  | { kind: 'allow' | 'deny'; target: string; userId: string }
  /** `/devin config ...`: the channel's settings (read by `parseConfig`). */
  | { kind: 'config'; args: string }
  | { kind: 'help' }
  | GuardrailCommand
  | { kind: 'usage'; problem: string };

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

export function parseDevinCommand(text: string): DevinCommand {
  const [name, rest] = splitFirstWord(typeof text === 'string' ? text.trim() : '');
  const guardrail = parseGuardrailCommand(name, rest);
  if (guardrail) return guardrail;
  switch (name.toLowerCase()) {
    case '':
    case 'help':
      return { kind: 'help' };
    case 'new':
      // Options alone (`/devin new acu:5`) are no task.
      return extractStartOptions(rest).text ? { kind: 'new', task: rest } : usage(PROBLEMS.newNeedsTask);
    case 'link':
      return parseLink(rest);
    case 'say':
      return parseSay(rest);
    case 'status':
      return parseStatus(rest);
    case 'list':
      return rest ? usage(PROBLEMS.listTakesNothing) : { kind: 'list' };
    case 'config':
      return { kind: 'config', args: rest };
    case 'allow':
    case 'deny':
      return parsePermission(name.toLowerCase() as 'allow' | 'deny', rest);
    default:
      return usage(`I don't know \`/devin ${echoName(name)}\`.`);
  }
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
