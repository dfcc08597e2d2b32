import { z } from 'zod';

export const createdSession = z.object({
  session_id: z.string().min(1),
  url: z.string().min(1),
  is_new_session: z.boolean().nullish(),
});

export const sessionMessage = z.object({
  type: z.string(),
  event_id: z.string(),
  message: z.string(),
  timestamp: z.string(),
  origin: z.string().nullish(),
  username: z.string().nullish(),
  user_id: z.string().nullish(),
});

export const session = z
  .object({
    session_id: z.string().min(1),
    status: z.string().nullish(),
    status_enum: z.string().nullish(),
    title: z.string().nullish(),
    created_at: z.string().nullish(),
    updated_at: z.string().nullish(),
    pull_request: z.object({ url: z.string() }).nullish(),
    messages: z.array(z.unknown()).nullish(),
  })
  /** Malformed messages are dropped one by one (and counted) instead of failing the whole session. */
  .transform(({ messages, ...rest }) => {
    const valid = (messages ?? []).flatMap((item) => {
      const parsed = sessionMessage.safeParse(item);
      return parsed.success && parsed.data.event_id ? [parsed.data] : [];
    });
    return { ...rest, messages: valid, malformedMessages: (messages ?? []).length - valid.length };
  });

export const sessionList = z.object({ sessions: z.array(session) });

/** `null` (or no body) means delivered; `{detail}` means the session is not running and nothing was delivered. */
export const sendAnswer = z.union([z.null(), z.object({ detail: z.unknown() }).loose()]);

export const errorBody = z.object({ detail: z.unknown() }).loose();

export type DevinSessionMessage = z.infer<typeof sessionMessage>;

/** Where a read of a session's messages starts: Devin's opaque cursor (none: the first page) and the position of the
 * first message it lists. */
export interface MessagesFrom {
  cursor?: string;
  at: number;
}

/** A read of the messages through cursors (API v3): where it started, and where the next read starts so that it
 * still lists this read's last message (`next.at` is that message's position, or earlier). */
export interface MessagesRead {
  from: MessagesFrom;
  next: MessagesFrom;
}

export interface PullRequest {
  url: string;
  /** `open`, `merged`, `closed`... as Devin says; unknown on API v1. */
  state?: string;
}

/**
 * A session as the domain sees it: API v1's fields (as parsed), and what API v3 adds, converted at the boundary.
 * Absent fields are unknown.
 */
export type DevinSession = z.infer<typeof session> & {
  /** What the status leaves out (v3's `status_detail`): working, waiting_for_user, waiting_for_approval, finished,
   * or why it is suspended (inactivity, user_request, out_of_credits...). */
  statusDetail?: string;
  /** Every pull request of the session (v1 names at most one, in `pull_request`). */
  pullRequests?: PullRequest[];
  /** What the session has spent so far, in ACUs. */
  acusConsumed?: number;
  /** Archived sessions stay readable but take no more messages. */
  archived?: boolean;
  /** API v3: the organization member the session belongs to (unset: the service user, or unknown). */
  ownerId?: string;
  /** Set when the messages were read from a cursor: `messages[0]` is at position `messagesRead.from.at`. */
  messagesRead?: MessagesRead;
};
