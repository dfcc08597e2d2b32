/**
 * What log lines call the things they are about: one snake_case name per concept (`session_id`, `reply_id`,
 * `team_id`, `channel_id`, `thread_ts`, `message_ts`, `user_id`, `event_id`, `start_id`), the same in every line, so
 * that a search for one session, thread or person finds all of its lines.
 */

/** A Slack thread: its workspace, channel and root message. */
export function threadFields(thread: { team: string; channel: string; threadTs: string }) {
  return { team_id: thread.team, channel_id: thread.channel, thread_ts: thread.threadTs };
}

/** One Slack message: its workspace, channel and timestamp, and the event that brought it when there was one. */
export function messageFields(message: { team: string; channel: string; ts: string; eventId?: string }) {
  return {
    team_id: message.team,
    channel_id: message.channel,
    message_ts: message.ts,
    ...(message.eventId ? { event_id: message.eventId } : {}),
  };
}

/** A reply on its way to a session. */
export function replyFields(reply: { sessionId: string; id: string }) {
  return { session_id: reply.sessionId, reply_id: reply.id };
}

/** A session start on its way: where it was asked for, and its id. */
export function startFields(start: { team: string; channel: string; id: string }) {
  return { team_id: start.team, channel_id: start.channel, start_id: start.id };
}

/** The fields of the work a helper logs for (a reply's delivery, a session start), handed down by its caller. */
export type LogContext = ReturnType<typeof replyFields> | ReturnType<typeof startFields>;
