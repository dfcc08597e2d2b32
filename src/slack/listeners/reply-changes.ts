import type { App } from '@slack/bolt';
import { isAside } from '../text/incoming-text';
import { hasWords } from '../text/relayed-text';
import { sharedFiles } from '../text/shared-files';
import type { ListenerDeps } from './listener-deps';

/** The part of a message Slack sends with its edit or deletion. */
interface MessageBody {
  user?: string;
  bot_id?: string;
  text?: string;
  ts?: string;
  thread_ts?: string;
  files?: unknown;
}

interface ChangedMessage {
  subtype?: string;
  channel: string;
  /** `message_changed`: the message as it is now. */
  message?: MessageBody;
  previous_message?: MessageBody;
  /** `message_deleted`: the message's ts. */
  deleted_ts?: string;
}

/**
 * A reply in a bound thread edited or deleted in Slack: before it reached Devin, a deletion takes it back and an edit
 * gives it its new words (an edit into an aside, or into nothing, takes it back); after, nothing is relayed and its
 * author is told, once, that Devin keeps the original. Edits that leave the words as they were (a link unfurled) are
 * no edits.
 */
export function registerReplyChanges(app: App, deps: ListenerDeps): void {
  app.event('message', async ({ event, body, context }) => {
    const change = event as unknown as ChangedMessage;
    if (change.subtype !== 'message_changed' && change.subtype !== 'message_deleted') return;
    const before = change.previous_message;
    const after = change.subtype === 'message_changed' ? change.message : undefined;
    const ts = after?.ts ?? change.deleted_ts;
    const threadTs = (after ?? before)?.thread_ts;
    if (!ts || !threadTs || threadTs === ts || before?.bot_id || after?.bot_id) return;
    const team = body.team_id ?? context.teamId ?? '';
    const binding = await deps.sessions.forThread({ team, channel: change.channel, threadTs });
    if (!binding) return;
    const message = { team, channel: change.channel, ts };
    const author = (after ?? before)?.user;
    if (!after) return deps.changes.withdraw(binding, message, author, 'deleted');
    const text = after.text ?? '';
    if (text === (before?.text ?? '')) return;
    const files = sharedFiles(after.files);
    const draft = { user: author ?? '', text, files, ...(context.botUserId ? { botUserId: context.botUserId } : {}) };
    if (isAside(text) || !hasWords(draft)) return deps.changes.withdraw(binding, message, author, 'edited');
    return deps.changes.revise(binding, message, author, text);
  });
}
