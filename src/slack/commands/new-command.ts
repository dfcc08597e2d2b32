import { escapeSlackText, quoteBlock } from '../outgoing-text';
import { relayedText } from '../relayed-text';
import { statusText } from '../status-text';
import { authorName, type CommandContext, cannotPostSentence, tell } from './command-context';

/** `/devin new <task>`: a root message in the channel, bound to a new session. */
export async function startSession(ctx: CommandContext, task: string): Promise<void> {
  const author = await authorName(ctx);
  const quoted = quoteBlock(escapeSlackText(task), 2500);
  let rootTs: string | undefined;
  try {
    const root = await ctx.client.chat.postMessage({
      channel: ctx.channel,
      text: `:hourglass_flowing_sand: ${escapeSlackText(author)} is starting a Devin session…\n${quoted}`,
      unfurl_links: false,
    });
    rootTs = root.ts;
  } catch (error) {
    ctx.deps.log.warn({ channel: ctx.channel, err: error }, 'could not post a session root message');
    await tell(ctx, cannotPostSentence(error));
    return;
  }
  if (!rootTs) return tell(ctx, 'Slack did not return the posted message, so no session was started.');
  const prompt = await relayedText(author, task, ctx.deps.names);
  const thread = { team: ctx.team, channel: ctx.channel, threadTs: rootTs };
  const result = await ctx.deps.sessions.start(prompt, thread, ctx.userId);
  if (result.kind === 'failed') {
    await ctx.client.chat.update({
      channel: ctx.channel,
      ts: rootTs,
      text: `:warning: ${escapeSlackText(author)} tried to start a Devin session, but it failed: ${escapeSlackText(result.reason)}\n${quoted}`,
    });
    return tell(ctx, `I couldn't start a Devin session: ${result.reason}`);
  }
  const header =
    `${escapeSlackText(author)} started <${result.sessionUrl}|a Devin session> (\`${result.sessionId}\`)\n${quoted}\n` +
    'Reply in this thread to steer Devin.';
  await ctx.client.chat.update({ channel: ctx.channel, ts: rootTs, text: statusText(header, { state: 'working' }) });
  await ctx.deps.sessions.showStatusIn(thread, rootTs, header);
  await tell(ctx, `Started <${result.sessionUrl}|the Devin session>. Reply in its thread in this channel to steer it.`);
}
