import { z } from 'zod';

/** API v1's answers, parsed; the client converts them into the domain's shapes. */

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

/** A message as API v1 lists it. */
export type V1Message = z.infer<typeof sessionMessage>;

/** A session as API v1 answers it (its readable messages kept, the others counted). */
export type V1Session = z.infer<typeof session>;
