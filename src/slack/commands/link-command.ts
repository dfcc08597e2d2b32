import { refusalSentence } from '../../relay/access-policy';
import { markAtEnd } from '../../relay/session-news';
import { sendOrMinimal } from '../outbound/size-fallback';
import { escapeSlackText } from '../text/outgoing-text';
import { fitEscaped } from '../text/slack-fit';
import type { RenderedMessage } from '../views/rendered-message';
import { minimalRoot, renderRoot } from '../views/root-blocks';
import { authorName, type CommandContext, cannotPostSentence, tell } from './command-context';

/** How much of a session's title names its link in the root message. */
const TITLE_LIMIT = 200;

/** `/devin link <session id | session URL>`: a root message bound to a session started elsewhere. */
export async function linkSession(ctx: CommandContext, ref: string): Promise<void> {
  const sessionId = ctx.deps.refs.parseSessionRef(ref);
  if (!sessionId) {
    return tell(ctx, 'That is not a Devin session id (`devin-…`) or session URL, so there is nothing to link.');
  }
  const view = await ctx.deps.sessionAccess.view(ctx, sessionId);
  const unknown = `Devin has no session \`${sessionId}\`; check the id or URL.`;
  // Bound to threads this person cannot see: linking it here would mirror their conversation.
  if (view.kind === 'hidden') return tell(ctx, unknown);
  const at = { ...ctx, sessionId, action: 'link' as const };
  const linking = await ctx.deps.sessionAccess.mayLink(view, sessionId, ctx.channel);
  if (!linking.ok) {
    await ctx.deps.access.refuse(at, linking.refusal);
    return tell(ctx, refusalSentence(linking.refusal));
  }
  const found = await ctx.deps.sessions.lookup(sessionId);
  if (found.kind === 'unknown') return tell(ctx, unknown);
  if (found.kind === 'failed') return tell(ctx, `I couldn't check that session: ${found.reason}`);
  const url = ctx.deps.refs.sessionUrl(sessionId);
  // The title names the link: cut to a line's length, it leaves the rest of the root its room.
  const title = fitEscaped(found.session.title || sessionId, TITLE_LIMIT);
  const author = await authorName(ctx);
  const header =
    `:link: ${escapeSlackText(author)} linked <${url}|${title}> (\`${sessionId}\`).\n` +
    'Reply in this thread to steer Devin.';
  const { state } = found.session;
  let rootTs: string | undefined;
  try {
    const title = found.session.title ?? undefined;
    const view = state ? { state, ...(title ? { title } : {}) } : undefined;
    const post = (message: RenderedMessage) =>
      ctx.client.chat.postMessage({ channel: ctx.channel, ...message, unfurl_links: false });
    const root = await sendOrMinimal(
      () => post(renderRoot({ header, view, sessionId, sessionUrl: url })),
      () => post(minimalRoot(view, url)),
      ctx.deps.log,
      { channel: ctx.channel, method: 'chat.postMessage' },
    );
    rootTs = root.ts;
  } catch (error) {
    ctx.deps.log.warn({ channel_id: ctx.channel, err: error }, 'could not post a link root message');
    return tell(ctx, cannotPostSentence(error, 'linked'));
  }
  if (!rootTs) return tell(ctx, 'Slack did not return the posted message, so the session was not linked.');
  const thread = { team: ctx.team, channel: ctx.channel, threadTs: rootTs };
  // A session bound before keeps who may steer it: the new thread takes the first binding's rules, not the linker's.
  const first = await ctx.deps.sessions.firstBinding(sessionId);
  await ctx.deps.sessions.bind(
    sessionId,
    url,
    thread,
    ctx.userId,
    markAtEnd(found.session.messages, found.session.messagesRead),
    first,
  );
  ctx.deps.audit.record({
    action: 'link',
    outcome: 'done',
    ...(linking.asAdmin ? { reason: 'admin', admin: true } : {}),
    user_id: ctx.userId,
    team_id: ctx.team,
    channel_id: ctx.channel,
    thread_ts: rootTs,
    session_id: sessionId,
  });
  await ctx.deps.sessions.showStatusIn(thread, rootTs, header);
  await tell(ctx, `Linked <${url}|${title}>; replies in its new thread in this channel reach Devin.`);
}
