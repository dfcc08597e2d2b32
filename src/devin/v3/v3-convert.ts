import type { PullRequest, SessionMessage, SessionSnapshot } from '../../relay/model/devin-session';
import { attachmentsIn, type IsAttachment } from '../shared/attachment-lines';
import { statusWords } from '../shared/session-status';
import { type V3Session, v3Message, v3PullRequest } from './v3-schemas';
import { v3Detail, v3State } from './v3-status';

/**
 * API v3's session in the domain's words: `status` with `status_detail` become a state and its detail,
 * `pull_requests` the pull requests, `user_id` the owner. Its messages are read apart (`domainMessages`).
 */
export function domainSession(s: V3Session): SessionSnapshot {
  const pullRequests = (s.pull_requests ?? []).flatMap((item): PullRequest[] => {
    const parsed = v3PullRequest.safeParse(item);
    if (!parsed.success) return [];
    return [{ url: parsed.data.pr_url, ...(parsed.data.pr_state ? { state: parsed.data.pr_state } : {}) }];
  });
  const state = v3State(s);
  const detail = state ? v3Detail(s) : undefined;
  return {
    id: s.session_id,
    ...(state ? { state } : {}),
    ...(detail ? { detail } : {}),
    status: statusWords(s.status, s.status_detail),
    ...(s.title ? { title: s.title } : {}),
    pullRequests,
    messages: [],
    malformedMessages: 0,
    ...(typeof s.acus_consumed === 'number' ? { acusConsumed: s.acus_consumed } : {}),
    ...(s.is_archived ? { archived: true } : {}),
    ...(s.user_id ? { ownerId: s.user_id } : {}),
  };
}

/**
 * The items of a message list as the domain's messages (`source` devin or user). The list does not say which message
 * was the prompt: the bridge expects the prompt of a session it starts as an echo. An item that cannot be read keeps
 * its place as a message without an id, which the conversation skips, so that positions stay Devin's.
 */
export function domainMessages(
  items: unknown[],
  isAttachment: IsAttachment,
): { messages: SessionMessage[]; malformed: number } {
  let malformed = 0;
  const messages = items.map((item): SessionMessage => {
    const parsed = v3Message.safeParse(item);
    if (!parsed.success) {
      malformed += 1;
      return { id: '', from: 'other', text: '', at: '', attachments: [] };
    }
    const m = parsed.data;
    const { urls, text } = attachmentsIn(m.message, isAttachment);
    const from = m.source === 'devin' ? 'devin' : 'person';
    return { id: m.event_id, from, text, at: isoOf(m.created_at) ?? '', attachments: urls };
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
