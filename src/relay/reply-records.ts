import { randomUUID } from 'node:crypto';
import type { Reply, ReplyDraft } from './model/replies';
import type { ThreadRef } from './model/threads';
import { orderAt } from './ports/reply-queue';
import { threadReplyId } from './ports/store-keys';

/** A message in a bound thread, on its way to the thread's session. */
export interface ThreadReply {
  eventId?: string;
  /** Which of Slack's deliveries of the event this is (0 the first; Slack gives up after `SLACK_LAST_RETRY`). */
  retryNum?: number;
  thread: ThreadRef;
  ts: string;
  /** The message as Slack sent it; its words for Devin are written after Slack has its answer. */
  draft: ReplyDraft;
}

/** A thread reply as recorded: in the thread's order (its `ts`), under its message's id, its words written later. */
export function threadReplyRecord(sessionId: string, reply: ThreadReply, now: number): Reply {
  const { thread } = reply;
  return {
    id: threadReplyId({ team: thread.team, channel: thread.channel, ts: reply.ts }),
    sessionId,
    text: '',
    draft: reply.draft,
    order: reply.ts,
    state: 'queued',
    origin: {
      kind: 'thread',
      thread,
      message: { team: thread.team, channel: thread.channel, ts: reply.ts },
      ...(reply.eventId ? { eventId: reply.eventId } : {}),
    },
    receivedAt: now,
    attempts: 0,
  };
}

/** A message sent with `/devin say` (or chosen in the Send to Devin form): its words as given, in arrival order. */
export function commandReplyRecord(
  sessionId: string,
  text: string,
  requester: { team: string; userId: string; responseUrl?: string },
  now: number,
): Reply {
  return {
    id: `command:${randomUUID()}`,
    sessionId,
    text,
    order: orderAt(now),
    state: 'queued',
    origin: { kind: 'command', ...requester },
    receivedAt: now,
    attempts: 0,
  };
}

/** A thread's message forwarded with Send to Devin: a reply of that thread, behind those already waiting. */
export function forwardedReplyRecord(sessionId: string, reply: ThreadReply & { eventId: string }, now: number): Reply {
  const { thread } = reply;
  return {
    id: `forward:${randomUUID()}`,
    sessionId,
    text: '',
    draft: reply.draft,
    order: orderAt(now),
    state: 'queued',
    origin: {
      kind: 'thread',
      thread,
      message: { team: thread.team, channel: thread.channel, ts: reply.ts },
      eventId: reply.eventId,
    },
    receivedAt: now,
    attempts: 0,
  };
}
