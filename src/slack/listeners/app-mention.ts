import type { App, webApi } from '@slack/bolt';
import { toPlainText } from '../incoming-text';
import type { ListenerDeps } from '../listener-deps';
import { escapeSlackText } from '../outgoing-text';
import { relayedText } from '../relayed-text';
import { statusText } from '../status-text';
import { relayThreadMessage, type ThreadMessage } from './thread-reply';

const CONTEXT_LIMIT = 20_000;

/** `@Devin <task>` starts a session bound to the mention's thread; in a bound thread it is just a reply. */
export function registerAppMention(app: App, deps: ListenerDeps): void {
  app.event('app_mention', async ({ event, body, context, client }) => {
    if (event.bot_id || !event.user) return;
    const team = body.team_id ?? context.teamId ?? '';
    const message: ThreadMessage = { ...event, user: event.user, channel: event.channel };
    const thread = { team, channel: event.channel, threadTs: event.thread_ts ?? event.ts };
    if (await deps.sessions.forThread(thread)) {
      await relayThreadMessage(deps, { team, eventId: body.event_id, botUserId: context.botUserId, message });
      return;
    }
    if (!(await deps.claims.claim({ eventId: body.event_id, team, channel: event.channel, ts: event.ts }))) return;
    const user = event.user;
    deps.background.run('mention', { channel: event.channel, ts: event.ts }, async () => {
      const author = (await deps.names.userName(user)) ?? user;
      const task = await relayedText(author, event.text, deps.names, {
        ...(context.botUserId ? { botUserId: context.botUserId } : {}),
      });
      const reply = (text: string) =>
        client.chat.postMessage({ channel: event.channel, thread_ts: thread.threadTs, text, unfurl_links: false });
      if (!task) {
        await reply('Mention me with a task, for example `@Devin fix the flaky login test`.');
        return;
      }
      const earlier = event.thread_ts
        ? await threadContext(client, deps, event.channel, event.thread_ts, event.ts)
        : '';
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
    });
  });
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
      const who = m.user
        ? ((await deps.names.userName(m.user)) ?? m.user)
        : ((m as { username?: string }).username ?? 'a bot');
      lines.push(`${who}: ${await toPlainText(m.text ?? '', deps.names)}`);
    }
    return lines.join('\n').slice(-CONTEXT_LIMIT);
  } catch (error) {
    deps.log.warn({ channel, threadTs, err: error }, 'could not read the thread for context; starting without it');
    return '';
  }
}
