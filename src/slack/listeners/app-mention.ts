import type { App } from '@slack/bolt';
import { limitedNotice } from '../../relay/start-limits';
import { isAside } from '../text/incoming-text';
import type { ListenerDeps } from './listener-deps';
import { filesOf, relayThreadMessage, startRefused, type ThreadMessage } from './thread-reply';

/** `@Devin <task>` starts a session bound to the mention's thread; in a bound thread it is just a reply. */
export function registerAppMention(app: App, deps: ListenerDeps): void {
  app.event('app_mention', async ({ event, body, context }) => {
    // An aside is kept from Devin, as in any reply, even when it mentions the app: it neither starts nor steers a session.
    if (event.bot_id || !event.user || isAside(event.text ?? '')) return;
    const team = body.team_id ?? context.teamId ?? '';
    const message: ThreadMessage = { ...event, user: event.user, channel: event.channel };
    const thread = { team, channel: event.channel, threadTs: event.thread_ts ?? event.ts };
    if (await deps.sessions.forThread(thread)) {
      await relayThreadMessage(deps, {
        team,
        eventId: body.event_id,
        botUserId: context.botUserId,
        retryNum: context.retryNum,
        message,
      });
      return;
    }
    if (await startRefused(deps, { team, threadTs: thread.threadTs, message })) return;
    const allowance = await deps.starts.acceptMessage({
      source: 'mention',
      team,
      ...(body.event_id ? { eventId: body.event_id } : {}),
      ...(context.botUserId ? { botUserId: context.botUserId } : {}),
      channel: event.channel,
      ts: event.ts,
      ...(event.thread_ts ? { threadTs: event.thread_ts } : {}),
      user: event.user,
      text: event.text,
      ...filesOf(message),
    });
    if (!allowance.ok) deps.feedback.tellPrivately(thread, event.user, limitedNotice(allowance));
  });
}
