import { randomUUID } from 'node:crypto';
import type { webApi } from '@slack/bolt';
import type { Dispatcher } from 'undici';
import { bounded } from '../../lib/bounded';
import { refusalSentence } from '../../relay/access-policy';
import type { MessageClaims } from '../../relay/message-claims';
import type { AskedOptions } from '../../relay/model/start-options';
import type { Binding, ThreadRef } from '../../relay/model/threads';
import type { SessionStarts } from '../../relay/session-starts';
import { limitedNotice } from '../../relay/start-limits';
import { listSessions } from '../access/session-list';
import type { CommandDeps } from '../commands/command-context';
import { INVITE_ME } from '../commands/command-context';
import { ALREADY_SENT, sentOutcome } from '../commands/say-command';
import { type PrivateAnswer, tellPrivately } from '../outbound/tell-privately';
import { hasWords, relayedText } from '../text/relayed-text';
import { NO_WORDS, replyDraft, type ShortcutMessage, type ShortcutSender, unsendable } from '../text/shortcut-message';
import { renderNotice } from '../views/notice-blocks';
import { loadingForm, NEW_SESSION, pickerForm, refusedForm } from '../views/send-to-devin-form';
import type { ShortcutDraft, ShortcutDrafts } from './shortcut-drafts';

/** The shortcut's trigger_id lasts 3 s: the form must be open by then. */
const OPEN_WAIT_MS = 2500;
/** How long the check that the app may post in a channel waits for Slack. */
const LOOKUP_MS = 2000;
const EXPIRED =
  'That Send to Devin form is no longer open (forms last an hour), so nothing was sent; use *Send to Devin* on the message again.';
const NOT_YOURS = 'That is not one of your sessions; use *Send to Devin* again and pick one from the list.';
const NOT_OPENED = "I couldn't open the Send to Devin form in time, so nothing was sent; please use it again.";

/** What the shortcut and its form work with: what the subcommands do, and the forms' drafts. */
export interface SendToDevinDeps extends CommandDeps {
  starts: Pick<SessionStarts, 'acceptCommand' | 'acceptMessage'>;
  claims: MessageClaims;
  /** Messages waiting in open Send to Devin forms. */
  drafts: ShortcutDrafts;
  /** The proxy that requests to response URLs go through (`HTTPS_PROXY`), if any. */
  dispatcher?: Dispatcher | undefined;
}

/** One use of the shortcut or of its form: the app's peers, and the bot's own user id (mentions of it are dropped). */
export interface SendContext {
  deps: SendToDevinDeps;
  client: webApi.WebClient;
  botUserId?: string | undefined;
}

/**
 * The Send to Devin shortcut: a message in a bound thread goes to that thread's session as a reply would (the
 * person is told how it ended, in the words of `/devin say`); elsewhere, a form opens at once to pick one of the
 * person's sessions or to start a new one with the message.
 */
export async function sendToDevin(
  ctx: SendContext,
  message: ShortcutMessage,
  sender: ShortcutSender,
  triggerId: string,
): Promise<void> {
  const problem = unsendable(message);
  if (problem) return tell(ctx, answerTo(message, sender), problem);
  const binding = await ctx.deps.sessions.forThread(threadOf(message, sender));
  if (binding) return forwardInThread(ctx, binding, message, sender, `shortcut:${triggerId}`);
  return openForm(ctx, message, sender, triggerId);
}

/** The form was sent: the chosen session gets the message, or a new session starts from it. */
export async function submitForm(
  ctx: SendContext,
  form: { draftId: string; choice: string; userId: string; viewId: string; asked?: AskedOptions },
): Promise<void> {
  const draft = await ctx.deps.drafts.take(form.draftId, form.userId);
  if (draft === 'taken') return;
  if (!draft) return tell(ctx, { userId: form.userId }, EXPIRED);
  try {
    if (form.choice === NEW_SESSION) await startFrom(ctx, draft, `form:${form.viewId}`, form.asked ?? {});
    else await steer(ctx, draft, form.choice);
  } finally {
    await ctx.deps.drafts.forget(draft.id);
  }
}

async function forwardInThread(
  ctx: SendContext,
  binding: Binding,
  message: ShortcutMessage,
  sender: ShortcutSender,
  eventId: string,
): Promise<void> {
  const { deps } = ctx;
  const answer = answerTo(message, sender);
  const at = { ...asker(message, sender), sessionId: binding.sessionId, action: 'send-to-devin' as const };
  const refused = await deps.access.check(at, (actor) => deps.access.policy.maySteer(actor, binding));
  if (refused) return tell(ctx, answer, refusalSentence(refused));
  const draft = replyDraft(message, sender, ctx.botUserId);
  if (!hasWords(draft)) return tell(ctx, answer, NO_WORDS);
  const outcome = await deps.replies.forward(binding, {
    eventId,
    thread: threadOf(message, sender),
    ts: message.ts,
    draft,
  });
  if (outcome === 'repeated') return;
  const { text, blocks } = sentOutcome(outcome, binding.sessionId, deps.refs);
  return tell(ctx, answer, text, blocks);
}

/** Opens the form at once (its trigger lasts 3 s), then fills it with the person's sessions once they are known. */
async function openForm(
  ctx: SendContext,
  message: ShortcutMessage,
  sender: ShortcutSender,
  triggerId: string,
): Promise<void> {
  const { deps, client } = ctx;
  const id = randomUUID();
  const opening = bounded(
    OPEN_WAIT_MS,
    client.views.open({ trigger_id: triggerId, view: loadingForm(id, message) }),
    () => undefined,
  ).catch((error: unknown) => {
    deps.log.warn(
      { channel_id: message.channel, user_id: sender.userId, err: error },
      'could not open the Send to Devin form',
    );
    return undefined;
  });
  await deps.drafts.save({ id, message, sender });
  const viewId = (await opening)?.view?.id;
  if (!viewId) {
    await deps.drafts.forget(id);
    return tell(ctx, answerTo(message, sender), NOT_OPENED);
  }
  const listing = await listSessions(deps, asker(message, sender));
  const start = {
    defaults: await deps.channelSettings.defaults({ team: sender.team, channel: message.channel }),
    supported: deps.optionLookup.supported,
  };
  const view =
    listing.kind === 'refused'
      ? refusedForm(refusalSentence(listing.refusal))
      : pickerForm(id, message, listing.sessions, start);
  try {
    await client.views.update({ view_id: viewId, view });
  } catch (error) {
    deps.log.warn({ user_id: sender.userId, err: error }, 'could not fill the Send to Devin form (closed meanwhile?)');
  }
}

/** One of the person's sessions, chosen in the form: checked as `/devin say` checks it, and sent as it sends. */
async function steer(ctx: SendContext, draft: ShortcutDraft, choice: string): Promise<void> {
  const { deps } = ctx;
  const { message, sender } = draft;
  const answer = answerTo(message, sender);
  const sessionId = deps.refs.parseSessionRef(choice);
  if (!sessionId) return tell(ctx, answer, NOT_YOURS);
  const who = asker(message, sender);
  const view = await deps.sessionAccess.view(who, sessionId);
  if (view.kind === 'hidden') return tell(ctx, answer, `Devin has no session \`${sessionId}\`.`);
  const decision = deps.sessionAccess.maySteer(view);
  if (!decision.ok) {
    await deps.access.refuse({ ...who, sessionId, action: 'send-to-devin' }, decision.refusal);
    return tell(ctx, answer, refusalSentence(decision.refusal));
  }
  const draftOf = replyDraft(message, sender, ctx.botUserId);
  const text = await relayedText(await deps.names.personOf(sender.userId), message.text, deps.names, {
    ...(draftOf.botUserId ? { botUserId: draftOf.botUserId } : {}),
    ...(draftOf.files?.length ? { files: draftOf.files.length } : {}),
    ...(draftOf.writtenBy ? { writtenBy: await deps.names.personOf(draftOf.writtenBy) } : {}),
  });
  if (!text) return tell(ctx, answer, NO_WORDS);
  const outcome = await deps.replies.say(
    sessionId,
    text,
    { team: sender.team, userId: sender.userId, ...(sender.responseUrl ? { responseUrl: sender.responseUrl } : {}) },
    { team: sender.team, channel: message.channel, ts: message.ts },
  );
  const { text: sentence, blocks } = sentOutcome(outcome, sessionId, deps.refs);
  return tell(ctx, answer, sentence, blocks);
}

/**
 * A new session with the message as its task, bound to the message's thread, started as a mention inside a thread is
 * (its earlier messages are the context). A thread bound meanwhile gets the message instead.
 */
async function startFrom(ctx: SendContext, draft: ShortcutDraft, eventId: string, asked: AskedOptions): Promise<void> {
  const { deps } = ctx;
  const { message, sender } = draft;
  const answer = answerTo(message, sender);
  const binding = await deps.sessions.forThread(threadOf(message, sender));
  if (binding) return forwardInThread(ctx, binding, message, sender, eventId);
  const refused = await deps.access.check({ ...asker(message, sender), action: 'start' }, (actor) =>
    deps.access.policy.mayAct(actor),
  );
  if (refused) return tell(ctx, answer, refusalSentence(refused));
  if (!(await mayPostIn(ctx, message.channel))) return tell(ctx, answer, INVITE_ME);
  const identity = { team: sender.team, channel: message.channel, ts: message.ts };
  if (await deps.claims.duplicateOf(identity)) return tell(ctx, answer, ALREADY_SENT);
  const draftOf = replyDraft(message, sender, ctx.botUserId);
  const allowance = await deps.starts.acceptMessage({
    source: 'shortcut',
    ...identity,
    ...(message.threadTs && message.threadTs !== message.ts ? { threadTs: message.threadTs } : {}),
    user: sender.userId,
    text: message.text,
    eventId,
    ...(draftOf.botUserId ? { botUserId: draftOf.botUserId } : {}),
    ...(draftOf.writtenBy ? { writtenBy: draftOf.writtenBy } : {}),
    ...(draftOf.files ? { files: draftOf.files } : {}),
    ...(sender.responseUrl ? { responseUrl: sender.responseUrl } : {}),
    asked,
  });
  if (!allowance.ok) return tell(ctx, answer, renderNotice(limitedNotice(allowance)).text);
}

/** Whether the app is in the channel, so that a session started there can be posted in its thread. */
async function mayPostIn(ctx: SendContext, channel: string): Promise<boolean> {
  try {
    const answer = await bounded(LOOKUP_MS, ctx.client.conversations.info({ channel }), () => undefined);
    return answer?.channel?.is_member === true || answer?.channel?.is_im === true;
  } catch (error) {
    ctx.deps.log.debug({ channel_id: channel, err: error }, 'could not tell whether the app is in the channel');
    return false;
  }
}

function threadOf(message: ShortcutMessage, sender: ShortcutSender): ThreadRef {
  return { team: sender.team, channel: message.channel, threadTs: message.threadTs ?? message.ts };
}

function asker(message: ShortcutMessage, sender: ShortcutSender) {
  return { team: sender.team, channel: message.channel, userId: sender.userId, userTeam: sender.userTeam };
}

function answerTo(message: ShortcutMessage, sender: ShortcutSender): PrivateAnswer {
  return {
    userId: sender.userId,
    channel: message.channel,
    ...(message.threadTs ? { threadTs: message.threadTs } : {}),
    ...(sender.responseUrl ? { responseUrl: sender.responseUrl } : {}),
  };
}

function tell(ctx: SendContext, to: PrivateAnswer, text: string, blocks?: Parameters<typeof tellPrivately>[3]) {
  return tellPrivately({ client: ctx.client, log: ctx.deps.log, dispatcher: ctx.deps.dispatcher }, to, text, blocks);
}
