import type { DevinSession, DevinSessionMessage, PullRequest } from '../v1/v1-schemas';
import { type V3Session, v3Message, v3PullRequest } from './v3-schemas';

/**
 * API v3's shapes in the domain's words (the ones API v1 set): `source` becomes a message `type`, integer timestamps
 * become ISO text, `pull_requests` become `pullRequests` (and the first one `pull_request`).
 */
export function domainSession(s: V3Session): DevinSession {
  const pullRequests = (s.pull_requests ?? []).flatMap((item): PullRequest[] => {
    const parsed = v3PullRequest.safeParse(item);
    if (!parsed.success) return [];
    return [{ url: parsed.data.pr_url, ...(parsed.data.pr_state ? { state: parsed.data.pr_state } : {}) }];
  });
  const first = pullRequests[0];
  return {
    session_id: s.session_id,
    status: s.status ?? null,
    status_enum: null,
    title: s.title ?? null,
    created_at: isoOf(s.created_at) ?? null,
    updated_at: isoOf(s.updated_at) ?? null,
    pull_request: first ? { url: first.url } : null,
    messages: [],
    malformedMessages: 0,
    ...(s.status_detail ? { statusDetail: s.status_detail } : {}),
    pullRequests,
    ...(typeof s.acus_consumed === 'number' ? { acusConsumed: s.acus_consumed } : {}),
    ...(s.is_archived ? { archived: true } : {}),
    ...(s.user_id ? { ownerId: s.user_id } : {}),
  };
}

/**
 * The items of a message list starting at position `at`, as the domain's messages (`source` devin or user). The list
 * does not say which message was the prompt: the bridge expects the prompt of a session it starts as an echo. An item
 * that cannot be read keeps its place as a message without an event id, which the conversation skips, so that
 * positions stay Devin's.
 */
export function domainMessages(items: unknown[]): { messages: DevinSessionMessage[]; malformed: number } {
  let malformed = 0;
  const messages = items.map((item): DevinSessionMessage => {
    const parsed = v3Message.safeParse(item);
    if (!parsed.success) {
      malformed += 1;
      return { type: 'unreadable', event_id: '', message: '', timestamp: '' };
    }
    const m = parsed.data;
    const type = m.source === 'devin' ? 'devin_message' : 'user_message';
    return { type, event_id: m.event_id, message: m.message, timestamp: isoOf(m.created_at) ?? '' };
  });
  return { messages, malformed };
}

/** Unix seconds (or milliseconds, when the number is that large) as ISO text; text is kept as it is. */
export function isoOf(value: number | string | null | undefined): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value !== 'number' || !Number.isFinite(value)) return undefined;
  const ms = value > 1e12 ? value : value * 1000;
  return new Date(ms).toISOString();
}
