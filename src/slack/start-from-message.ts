import type { webApi } from '@slack/bolt';
import { toPlainText } from './incoming-text';
import type { ListenerDeps } from './listener-deps';
import { escapeSlackText } from './outgoing-text';
import { relayedText } from './relayed-text';
import { statusText } from './status-text';

const CONTEXT_LIMIT = 20_000;

export interface TaskMessage {
  team: string;
  eventId?: string;
  botUserId?: string;
  channel: string;
  ts: string;
  /** Set when the message is a reply inside an existing thread: its earlier messages become context. */
  threadTs?: string;
  user: string;
  text: string;
  /** What to say when the message holds no task. */
  askForTask: string;
}

/**
 * A message that asks Devin for something (`@Devin <task>`, or a direct message to the app) starts a session bound to
 * the message's thread; the app answers there with the link and the session's state. Slow work runs in the
 * background so that Slack's answer is not held.
 */
export async function startFromMessage(
  deps: ListenerDeps,
  client: webApi.WebClient,
  input: TaskMessage,
): Promise<void> {
  const { team, channel, ts, user } = input;
  const identity = { team, channel, ts, ...(input.eventId ? { eventId: input.eventId } : {}) };
  if (!(await deps.claims.claim(identity))) return;
  const thread = { team, channel, threadTs: input.threadTs ?? ts };
  const reply = (text: string) =>
    client.chat.postMessage({ channel, thread_ts: thread.threadTs, text, unfurl_links: false });
  deps.background.run(
    'starting a Devin session',
    { channel, ts },
    async () => {
      const author = await deps.names.nameOf(user);
      const task = await relayedText(
        author,
        input.text,
        deps.names,
        input.botUserId ? { botUserId: input.botUserId } : {},
      );
      if (!task) {
        await reply(input.askForTask);
        return;
      }
      const earlier = input.threadTs ? await threadContext(client, deps, channel, input.threadTs, ts) : '';
      const prompt = earlier ? `${task}\n\nEarlier messages in the Slack thread:\n${earlier}` : task;
      const result = await deps.sessions.start(prompt, thread, user);
      if (result.kind === 'failed') {
        await reply(`:warning: I couldn't start a Devin session: ${escapeSlackText(result.reason)}`);
        return;
      }
      const header =
        `:rocket: Started <${result.sessionUrl}|a Devin session> (\`${result.sessionId}\`). Replies in this thread ` +
        'reach Devin; start one with `(aside)` to keep it between people.';
      const posted = await reply(statusText(header, { state: 'working' }));
      if (posted.ts) await deps.sessions.showStatusIn(thread, posted.ts, header);
    },
    reply,
  );
}

/** The thread's earlier messages, oldest first, as `Name: text` lines. */
async function threadContext(
  client: webApi.WebClient,
  deps: ListenerDeps,
  channel: string,
  threadTs: string,
  before: string,
): Promise<string> {
  try {
    const answer = await client.conversations.replies({ channel, ts: threadTs, limit: 200 });
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
