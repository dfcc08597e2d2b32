import type { webApi } from '@slack/bolt';
import type { Logger } from '../logger';
import type { PendingStart } from '../relay/pending-starts';
import { authorLabel } from './author-label';
import { toPlainText } from './incoming-text';
import { relayedText } from './relayed-text';
import type { SlackNames } from './slack-names';

const CONTEXT_LIMIT = 20_000;

export interface StartPromptDeps {
  client: webApi.WebClient;
  names: SlackNames;
  log: Logger;
}

/**
 * The words Devin starts from: who asked and their task; for a message inside an existing thread, the thread's
 * earlier messages; and a link to the Slack message that asked. The link also makes each request's words its own:
 * Devin's idempotent create matches on the prompt, so two requests with the same task (the same "fix the build" on
 * two days) must not share a session. '' when the message holds no task (only a mention of the app).
 */
export async function startPrompt(deps: StartPromptDeps, start: PendingStart): Promise<string> {
  const author = await deps.names.personOf(start.user);
  const task = await relayedText(author, start.text, deps.names, {
    ...(start.botUserId ? { botUserId: start.botUserId } : {}),
    ...(start.writtenBy ? { writtenBy: await deps.names.personOf(start.writtenBy) } : {}),
  });
  if (!task) return task;
  const asked = start.source === 'command' ? start.rootTs : start.ts;
  const origin = asked ? `\n\n${await originLine(deps, start.channel, asked)}` : '';
  if (start.source === 'command' || !start.threadTs || !start.ts) return `${task}${origin}`;
  const earlier = await threadContext(deps, start.channel, start.threadTs, start.ts);
  return earlier ? `${task}\n\nEarlier messages in the Slack thread:\n${earlier}${origin}` : `${task}${origin}`;
}

/** Where the request was made: a permalink, or the channel and timestamp when Slack cannot give one. */
async function originLine(deps: StartPromptDeps, channel: string, ts: string): Promise<string> {
  try {
    const answer = await deps.client.chat.getPermalink({ channel, message_ts: ts });
    if (answer.permalink) return `Asked in Slack: ${answer.permalink}`;
  } catch (error) {
    deps.log.debug(
      { channel_id: channel, message_ts: ts, err: error },
      'no permalink for the message that asked; naming it instead',
    );
  }
  return `Asked in Slack: channel ${channel}, message ${ts}`;
}

/**
 * The thread's earlier messages from people, oldest first, as `Alice Example (@alice, U0123): text` lines, named as in
 * `authorLabel` so that no name can forge a line; a message's further lines are indented, so its words cannot either.
 * Messages from bots and apps (a `bot_id`, an `app_id`, the `bot_message` subtype, or no `user`) are left out: an
 * app's message in a channel is a prompt-injection path into a session that can push code.
 */
async function threadContext(
  deps: StartPromptDeps,
  channel: string,
  threadTs: string,
  before: string,
): Promise<string> {
  try {
    const answer = await deps.client.conversations.replies({ channel, ts: threadTs, limit: 200 });
    const lines: string[] = [];
    for (const m of answer.messages ?? []) {
      if (!m.ts || Number(m.ts) >= Number(before) || !fromPerson(m)) continue;
      const who = authorLabel(await deps.names.personOf(m.user));
      const words = (await toPlainText(m.text ?? '', deps.names)).replace(/\r?\n/g, '\n    ');
      lines.push(`${who}: ${words}`);
    }
    return lines.join('\n').slice(-CONTEXT_LIMIT);
  } catch (error) {
    deps.log.warn(
      { channel_id: channel, thread_ts: threadTs, err: error },
      'could not read the thread for context; starting without it',
    );
    return '';
  }
}

interface ThreadMessage {
  user?: string;
  bot_id?: string;
  app_id?: string;
  subtype?: string;
}

function fromPerson<M extends ThreadMessage>(m: M): m is M & { user: string } {
  return Boolean(m.user) && !m.bot_id && !m.app_id && m.subtype !== 'bot_message';
}
