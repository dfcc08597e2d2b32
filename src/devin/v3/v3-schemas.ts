import { z } from 'zod';

/**
 * API v3's answers, parsed leniently: a field Devin leaves out or a value it adds (a new status, a new suspend reason)
 * never fails a read; the client converts what it finds into the domain's shapes.
 */

/** Devin's timestamps are whole numbers (Unix seconds, though the unit is not documented). */
const timestamp = z.union([z.number(), z.string()]).nullish();

export const v3PullRequest = z.object({ pr_url: z.string().min(1), pr_state: z.string().nullish() }).loose();

/** `SessionResponse`: what get, create, send and terminate answer. */
export const v3Session = z
  .object({
    session_id: z.string().min(1),
    url: z.string().nullish(),
    status: z.string().nullish(),
    status_detail: z.string().nullish(),
    title: z.string().nullish(),
    created_at: timestamp,
    updated_at: timestamp,
    acus_consumed: z.number().nullish(),
    pull_requests: z.array(z.unknown()).nullish(),
    is_archived: z.boolean().nullish(),
    /** The organization member the session belongs to (made with `create_as_user_id`), when not the service user. */
    user_id: z.string().nullish(),
  })
  .loose();

export type V3Session = z.infer<typeof v3Session>;

/** One item of a session's message list. */
export const v3Message = z.object({
  event_id: z.string().min(1),
  message: z.string(),
  source: z.string(),
  created_at: timestamp,
});

export type V3Message = z.infer<typeof v3Message>;

/** Every list: a page of items, whether another follows, and the cursor to it (null on the last page). */
export const v3Page = z
  .object({
    items: z.array(z.unknown()),
    has_next_page: z.boolean().nullish(),
    end_cursor: z.string().nullish(),
  })
  .loose();

export type V3Page = z.infer<typeof v3Page>;

/** `GET /v3/self`: who the token is, and (for a service user) its organization. */
export const v3Self = z
  .object({
    principal_type: z.string().nullish(),
    service_user_id: z.string().nullish(),
    service_user_name: z.string().nullish(),
    org_id: z.string().nullish(),
  })
  .loose();

/** An organization member, from the members lookup. */
export const v3Member = z.object({ user_id: z.string().min(1), email: z.string().nullish() }).loose();

/** The answer to an upload. */
export const v3Attachment = z.object({ url: z.string().min(1), attachment_id: z.string().nullish() }).loose();
