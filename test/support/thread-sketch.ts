import { readable, sketch, wrap } from './block-kit-sketch';
import type { SlackCall } from './fake-slack';

/**
 * A message people wrote in the thread: who, its ts, the words as Slack sends them, and when: how many calls the app
 * had made to Slack before it was sent.
 */
export interface PersonMessage {
  name: string;
  ts: string;
  text: string;
  after: number;
}

export interface ThreadSketchInput {
  channel: string;
  /** The channel's name, as the sketch's title. */
  channelName: string;
  /** The ts of the thread's first message. */
  threadTs: string;
  people: PersonMessage[];
  /** Every call the app made to Slack's Web API. */
  calls: SlackCall[];
  /** How `<@U…>` mentions read in Slack. */
  names: Record<string, string>;
  /** Replaces what changes from run to run (a session id) with fixed words. */
  fixed?: (text: string) => string;
  width?: number;
}

interface Shown {
  /** Where the message stands in the thread. */
  order: number;
  ts: string;
  who: string;
  lines: string[];
}

/**
 * A plain-text sketch of a Slack thread as people see it once the app has done its work: the people's messages and
 * the app's posts in the order they were written, each of the app's messages in its last edited form, and under each
 * message the reactions it carries in the end.
 */
export function sketchThread(input: ThreadSketchInput): string {
  const width = input.width ?? 90;
  const fixed = input.fixed ?? ((text: string) => text);
  const words = (text: string) =>
    fixed(text).replace(/<@([UW][A-Z0-9]+)>/g, (mention, id: string) => `@${input.names[id] ?? mention}`);
  const messages: Shown[] = input.people.map((m) => ({
    order: m.after - 0.5,
    ts: m.ts,
    who: m.name,
    lines: wrap(readable(words(m.text)), width),
  }));
  const inThread = (args: SlackCall['args']) =>
    args.channel === input.channel && (args.thread_ts === input.threadTs || args.ts === input.threadTs);
  for (const [order, call] of input.calls.entries()) {
    if (call.method !== 'chat.postMessage' || !inThread(call.args) || typeof call.answer?.ts !== 'string') continue;
    const ts = call.answer.ts;
    const last = input.calls.filter((c) => c.method === 'chat.update' && c.args.ts === ts).at(-1)?.args ?? call.args;
    messages.push({ order, ts, who: 'Devin  APP', lines: drawn(last, words, width) });
  }
  messages.sort((a, b) => a.order - b.order);
  const out = [`#${input.channelName}`];
  messages.forEach((message, i) => {
    const lead = i === 0 ? '' : '  ↳ ';
    const pad = ' '.repeat(lead.length);
    out.push(`${lead}${message.who}`, ...message.lines.map((line) => `${pad}│ ${line}`.trimEnd()));
    const reactions = reactionsOn(input.calls, input.channel, message.ts);
    if (reactions.length > 0) out.push(`${pad}│ ${reactions.map((name) => `[${readable(`:${name}:`)} 1]`).join(' ')}`);
  });
  return out.join('\n');
}

function drawn(args: SlackCall['args'], words: (text: string) => string, width: number): string[] {
  const blocks = JSON.parse(words(JSON.stringify(args.blocks ?? [])));
  if (blocks.length === 0) return wrap(readable(words(String(args.text))), width);
  return sketch({ blocks }, width)
    .split('\n')
    .map((line) => line.replace(/^│ ?/, ''))
    .filter((line, i, all) => line !== '' || (i > 0 && i < all.length - 1));
}

/** The reactions a message carries after every add and remove. */
function reactionsOn(calls: SlackCall[], channel: string, ts: string): string[] {
  const shown: string[] = [];
  for (const call of calls) {
    if (call.args.channel !== channel || call.args.timestamp !== ts) continue;
    const name = String(call.args.name);
    const at = shown.indexOf(name);
    if (call.method === 'reactions.add' && at < 0) shown.push(name);
    if (call.method === 'reactions.remove' && at >= 0) shown.splice(at, 1);
  }
  return shown;
}
