import type { webApi } from '@slack/bolt';
import type { Logger } from '../logger';
import type { PendingStart } from '../relay/pending-starts';
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
 * The words Devin starts from: who asked and their task, and, for a message inside an existing thread, the thread's
 * earlier messages. '' when the message holds no task (only a mention of the app).
 */
export async function startPrompt(deps: StartPromptDeps, start: PendingStart): Promise<string> {
  const author = await deps.names.nameOf(start.user);
  const task = await relayedText(author, start.text, deps.names, start.botUserId ? { botUserId: start.botUserId } : {});
  if (!task || start.source === 'command' || !start.threadTs || !start.ts) return task;
  const earlier = await threadContext(deps, start.channel, start.threadTs, start.ts);
  return earlier ? `${task}\n\nEarlier messages in the Slack thread:\n${earlier}` : task;
}

/** The thread's earlier messages, oldest first, as `Name: text` lines. */
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
      if (!m.ts || Number(m.ts) >= Number(before)) continue;
      const who = m.user ? await deps.names.nameOf(m.user) : ((m as { username?: string }).username ?? 'a bot');
      lines.push(`${who}: ${await toPlainText(m.text ?? '', deps.names)}`);
    }
    return lines.join('\n').slice(-CONTEXT_LIMIT);
  } catch (error) {
    deps.log.warn({ channel, threadTs, err: error }, 'could not read the thread for context; starting without it');
    return '';
  }
}
