import type { App } from '@slack/bolt';
import { threadFields } from '../../lib/log-fields';
import type { Notice } from '../../relay/model/notices';
import type { Binding } from '../../relay/model/threads';
import { limitedNotice } from '../../relay/start-limits';
import { isAside } from '../text/incoming-text';
import { hasWords } from '../text/relayed-text';
import { sharedFiles } from '../text/shared-files';
import { answerCapRaise, capRaiseAsked } from './cap-raise';
import type { ListenerDeps } from './listener-deps';

/** Subtypes that are new words from a person; edits, deletions, joins and the like are not. */
const RELAYED_SUBTYPES = new Set([undefined, 'file_share', 'thread_broadcast']);

/**
 * Thread keywords answered privately (as a whole message, in any case): `EXIT` asks to confirm ending the session,
 * `archive` to confirm archiving it (where the API archives).
 */
const KEYWORD_ANSWERS = new Map<string, (binding: Binding, deps: ListenerDeps) => Notice>([
  ['exit', (binding) => ({ kind: 'end-confirm', sessionId: binding.sessionId, sessionUrl: binding.sessionUrl })],
  [
    'archive',
    (binding, deps) =>
      deps.archives.available
        ? { kind: 'archive-confirm', sessionId: binding.sessionId, sessionUrl: binding.sessionUrl }
        : { kind: 'archive-unavailable' },
  ],
  ['help', () => ({ kind: 'help' })],
]);

export interface ThreadMessage {
  subtype?: string;
  bot_id?: string;
  user?: string;
  text?: string;
  ts: string;
  thread_ts?: string;
  channel: string;
  channel_type?: string;
  /** The author's workspace (Slack Connect: differs from the installing one). */
  user_team?: string;
  team?: string;
  /** Slack's file objects (`file_share`): read with `sharedFiles`. */
  files?: unknown;
}

/**
 * A person's reply in a bound thread goes to its Devin session; a direct message to the app starts a session (as a
 * mention does in a channel); everything else is ignored.
 */
export function registerThreadReplies(app: App, deps: ListenerDeps): void {
  app.event('message', async ({ event, body, context }) => {
    const message = event as unknown as ThreadMessage;
    const team = body.team_id ?? context.teamId ?? '';
    if (isDirectTask(message) && message.user) {
      if (await startRefused(deps, { team, threadTs: message.ts, message })) return;
      const allowance = await deps.starts.acceptMessage({
        source: 'direct-message',
        team,
        ...(body.event_id ? { eventId: body.event_id } : {}),
        channel: message.channel,
        ts: message.ts,
        user: message.user,
        text: message.text ?? '',
        ...filesOf(message),
      });
      if (!allowance.ok) {
        const thread = { team, channel: message.channel, threadTs: message.ts };
        deps.feedback.tellPrivately(thread, message.user, limitedNotice(allowance));
      }
      return;
    }
    if (!isPersonReply(message)) return;
    await relayThreadMessage(deps, {
      team,
      eventId: body.event_id,
      botUserId: context.botUserId,
      retryNum: context.retryNum,
      message,
    });
  });
}

/** A new (top-level) message from a person in a direct message with the app. */
/**
 * A message that would start a session, from someone the allowlists refuse: they are told privately and nothing is
 * recorded. Nothing is looked up before Slack's answer; the author's account is vetted before the session is created.
 */
export async function startRefused(
  deps: ListenerDeps,
  input: { team: string; threadTs: string; message: ThreadMessage },
): Promise<boolean> {
  const { message } = input;
  const refused = await deps.access.check(
    {
      team: input.team,
      channel: message.channel,
      threadTs: input.threadTs,
      userId: message.user ?? '',
      userTeam: message.user_team ?? message.team,
      action: 'start',
    },
    (actor) => deps.access.policy.mayAct(actor),
    { lookUp: false },
  );
  return refused !== undefined;
}

/** The message's files, to be fetched on its way to Devin; nothing when it has none. */
export function filesOf(message: ThreadMessage) {
  const files = sharedFiles(message.files);
  return files.length > 0 ? { files } : {};
}

export function isDirectTask(message: ThreadMessage): boolean {
  if (message.channel_type !== 'im' || message.thread_ts || message.bot_id || !message.user) return false;
  return (message.subtype === undefined || message.subtype === 'file_share') && !isAside(message.text ?? '');
}

export function isPersonReply(message: ThreadMessage): boolean {
  if (!RELAYED_SUBTYPES.has(message.subtype) || message.bot_id || !message.user) return false;
  if (!message.thread_ts || message.thread_ts === message.ts) return false;
  return !isAside(message.text ?? '');
}

export async function relayThreadMessage(
  deps: ListenerDeps,
  input: {
    team: string;
    eventId?: string;
    botUserId?: string | undefined;
    retryNum?: number | undefined;
    message: ThreadMessage;
  },
): Promise<void> {
  const { message } = input;
  const thread = { team: input.team, channel: message.channel, threadTs: message.thread_ts ?? message.ts };
  const binding = await deps.sessions.forThread(thread);
  if (!binding) return;
  // Refused: not relayed, no receipt; the person is told privately.
  const refused = await deps.access.check(
    {
      team: input.team,
      channel: message.channel,
      threadTs: thread.threadTs,
      userId: message.user ?? '',
      userTeam: message.user_team ?? message.team,
      sessionId: binding.sessionId,
      action: 'steer',
    },
    (actor) => deps.access.policy.maySteer(actor, binding),
    // Before Slack's answer nothing is looked up; the author's account is vetted on the way to Devin.
    { lookUp: false },
  );
  if (refused) return;
  const keyword = (message.text ?? '').trim().toLowerCase();
  if (keyword === 'mute' || keyword === 'unmute') {
    // Claimed only once it took effect (muting twice is harmless): a store failure on the way answers 500, and Slack's
    // redelivery applies it then. The message's own claim (its copies and redeliveries share its ts) is one key, so
    // the call that takes it, and only that one, tells the thread.
    const identity = { team: input.team, channel: message.channel, ts: message.ts };
    if (await deps.claims.seen(identity)) return;
    const skipped = await deps.sessions.setMuted(thread, keyword === 'mute');
    if (!(await deps.claims.claim(identity))) return;
    deps.log.info({ ...threadFields(thread), session_id: binding.sessionId, keyword }, 'thread mute changed');
    deps.feedback.tell(
      thread,
      keyword === 'mute' ? { kind: 'muted' } : { kind: 'unmuted', skipped, sessionUrl: binding.sessionUrl },
    );
    return;
  }
  const answer = KEYWORD_ANSWERS.get(keyword);
  if (answer) {
    // Answered privately and not relayed; the message's claim (its copies and redeliveries share its ts) answers once.
    if (!(await deps.claims.claim({ team: input.team, channel: message.channel, ts: message.ts }))) return;
    deps.log.info({ ...threadFields(thread), session_id: binding.sessionId, keyword }, 'thread keyword answered');
    deps.feedback.tellPrivately(thread, message.user ?? '', answer(binding, deps));
    return;
  }
  const asked = capRaiseAsked(keyword);
  if (asked !== undefined) {
    return answerCapRaise(deps, { thread, binding, userId: message.user ?? '', ts: message.ts, asked });
  }
  // Recorded as it arrived: names are looked up after Slack has its answer, on the way to Devin.
  const userTeam = message.user_team ?? message.team;
  const draft = {
    user: message.user ?? '',
    ...(userTeam ? { userTeam } : {}),
    text: message.text ?? '',
    ...(input.botUserId ? { botUserId: input.botUserId } : {}),
    ...filesOf(message),
  };
  if (!hasWords(draft)) return;
  await deps.replies.acceptThreadReply(binding, {
    ...(input.eventId ? { eventId: input.eventId } : {}),
    ...(input.retryNum ? { retryNum: input.retryNum } : {}),
    thread,
    ts: message.ts,
    draft,
  });
}
