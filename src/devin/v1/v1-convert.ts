import type { SessionMessage, SessionSnapshot } from '../../relay/model/devin-session';
import { attachmentsIn, type IsAttachment } from '../shared/attachment-lines';
import { statusWords } from '../shared/session-status';
import type { V1Message, V1Session } from './v1-schemas';
import { v1State } from './v1-status';

const FROM: Record<string, SessionMessage['from']> = { devin_message: 'devin', user_message: 'person' };

/**
 * API v1's session in the domain's words: `status_enum` and `status` become a state, `pull_request` a list of one,
 * and each message's `ATTACHMENT:` lines its attachments.
 */
export function v1Snapshot(session: V1Session, isAttachment: IsAttachment): SessionSnapshot {
  const state = v1State(session);
  return {
    id: session.session_id,
    ...(state ? { state } : {}),
    status: statusWords(session.status_enum, session.status),
    ...(session.title ? { title: session.title } : {}),
    pullRequests: session.pull_request?.url ? [{ url: session.pull_request.url }] : [],
    messages: session.messages.map((message) => v1Message(message, isAttachment)),
    malformedMessages: session.malformedMessages,
  };
}

/** One listed message: `devin_message` is Devin's, `user_message` a person's, anything else (the prompt) neither. */
export function v1Message(message: V1Message, isAttachment: IsAttachment): SessionMessage {
  const { urls, text } = attachmentsIn(message.message, isAttachment);
  return {
    id: message.event_id,
    from: Object.hasOwn(FROM, message.type) ? (FROM[message.type] as SessionMessage['from']) : 'other',
    text,
    at: message.timestamp,
    ...(message.username ? { author: message.username } : {}),
    attachments: urls,
  };
}
