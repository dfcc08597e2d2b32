import type { types, webApi } from '@slack/bolt';
import type { Dispatcher } from 'undici';
import type { Logger } from '../../lib/logger';
import { refusalSentence } from '../../relay/access-policy';
import type { PendingStart } from '../../relay/model/starts';
import type { StartedSession, StartPort, StatusMessage } from '../../relay/ports/start';
import type { SlackAccess } from '../access/slack-access';
import { cannotPostSentence } from '../commands/command-context';
import type { SlackNames } from '../directory/slack-names';
import { respondTo } from '../outbound/response-url';
import { sendOrMinimal } from '../outbound/size-fallback';
import { toPlainText } from '../text/incoming-text';
import { escapeSlackText } from '../text/outgoing-text';
import { fitEscaped, fitMrkdwn, quoteBlock, SLACK_LIMITS } from '../text/slack-fit';
import { minimalRoot, renderRoot } from '../views/root-blocks';
import { startOptionsLine } from '../views/start-options-line';
import { startPrompt } from './start-prompt';

const ASK_FOR_TASK = {
  mention: 'Mention me with a task, for example `@Devin fix the flaky login test`.',
  'direct-message': 'Send me a task, for example `fix the flaky login test`, and I will start a Devin session.',
  shortcut: 'That message holds no task, so no session was started; use *Send to Devin* on a message with words.',
};
const SOMETHING_WENT_WRONG =
  'Something went wrong with starting a Devin session, so it did not finish; please try again.';
/** How much of the task the root message quotes, and of Devin's reason for refusing a start. */
const TASK_QUOTE_LIMIT = 2500;
const REASON_LIMIT = 1000;

export interface SlackStartsDeps {
  client: webApi.WebClient;
  access: SlackAccess;
  names: SlackNames;
  log: Logger;
  /** Answers the person who ran a command (tests may watch it). */
  respond?: (responseUrl: string, text: string) => Promise<void>;
  /** The proxy that requests to response URLs go through, if any. */
  dispatcher?: Dispatcher | undefined;
}

/**
 * How a start looks in Slack. A mention or direct message is answered in its thread. `/devin new` posts a root message
 * in the channel, updates it once the session is known, and answers the person who ran it through the response_url.
 */
export class SlackStarts implements StartPort {
  private readonly respond: (responseUrl: string, text: string) => Promise<void>;

  constructor(private readonly deps: SlackStartsDeps) {
    this.respond = deps.respond ?? ((url, text) => respondTo(url, text, undefined, deps.dispatcher));
  }

  async vetAuthor(start: PendingStart): Promise<boolean> {
    const { access } = this.deps;
    const at = { team: start.team, channel: start.channel, userId: start.user, action: 'start' as const };
    if (start.source !== 'command') return access.vet({ ...at, threadTs: start.threadTs ?? start.ts ?? '' });
    const decision = access.policy.admitsAccount(await access.actor(start.user, start.channel));
    if (decision.ok) return true;
    await access.refuse(at, decision.refusal);
    await this.tell(start, refusalSentence(decision.refusal));
    return false;
  }

  /** The thread's earlier messages go in only from people who may steer the session under the rules it is bound with. */
  prompt(start: PendingStart): Promise<string> {
    const { access } = this.deps;
    const rules = access.policy.rulesFor(start.user);
    const maySteer = async (author: { userId: string; userTeam?: string }) =>
      access.policy.maySteer(await access.actor(author.userId, start.channel, author.userTeam), rules).ok;
    return startPrompt({ ...this.deps, maySteer }, start);
  }

  async askForTask(start: PendingStart): Promise<void> {
    if (start.source !== 'command') await this.inThread(start, ASK_FOR_TASK[start.source]);
  }

  async postRoot(start: PendingStart): Promise<string | undefined> {
    const author = await this.deps.names.nameOf(start.user);
    try {
      const root = await this.deps.client.chat.postMessage({
        channel: start.channel,
        text: `:hourglass_flowing_sand: ${escapeSlackText(author)} is starting a Devin session…\n${await this.quoted(start)}${optionsSuffix(start)}`,
        unfurl_links: false,
      });
      if (root.ts) return root.ts;
      await this.tell(start, 'Slack did not return the posted message, so no session was started.');
    } catch (error) {
      this.deps.log.warn({ channel_id: start.channel, err: error }, 'could not post a session root message');
      await this.tell(start, cannotPostSentence(error));
    }
    return undefined;
  }

  async started(start: PendingStart, session: StartedSession): Promise<StatusMessage | undefined> {
    const link = `<${session.sessionUrl}|a Devin session> (\`${session.sessionId}\`)`;
    if (start.source !== 'command') {
      const header =
        `:rocket: Started ${link}. Replies in this thread reach Devin; start one with \`(aside)\` to keep it ` +
        `between people.${optionsSuffix(start)}`;
      const root = renderRoot({ header, view: { state: 'working' }, ...session });
      const minimal = minimalRoot({ state: 'working' }, session.sessionUrl);
      const posted = await sendOrMinimal(
        () => this.inThread(start, root.text, root.blocks),
        () => this.inThread(start, minimal.text),
        this.deps.log,
        { channel: start.channel, thread_ts: start.threadTs ?? start.ts, method: 'chat.postMessage' },
      );
      return posted.ts ? { statusTs: posted.ts, statusHeader: header } : undefined;
    }
    const { rootTs } = start;
    if (!rootTs) return undefined;
    const author = await this.deps.names.nameOf(start.user);
    const header = `${escapeSlackText(author)} started ${link}\n${await this.quoted(start)}${optionsSuffix(start)}\nReply in this thread to steer Devin.`;
    const update = (message: { text: string; blocks: types.KnownBlock[] }) =>
      this.deps.client.chat.update({ channel: start.channel, ts: rootTs, ...message });
    await sendOrMinimal(
      () => update(renderRoot({ header, view: { state: 'working' }, ...session })),
      () => update(minimalRoot({ state: 'working' }, session.sessionUrl)),
      this.deps.log,
      { channel: start.channel, ts: rootTs, method: 'chat.update' },
    );
    return { statusTs: rootTs, statusHeader: header };
  }

  async confirm(start: PendingStart, session: StartedSession): Promise<void> {
    await this.tell(
      start,
      `Started <${session.sessionUrl}|the Devin session>. Reply in its thread in this channel to steer it.`,
    );
  }

  async failed(start: PendingStart, reason: string | undefined): Promise<void> {
    const why = reason ? `I couldn't start a Devin session: ${fitEscaped(reason, REASON_LIMIT)}` : SOMETHING_WENT_WRONG;
    if (start.source !== 'command') {
      await this.inThread(start, `:warning: ${why}`);
      return;
    }
    const { rootTs } = start;
    if (rootTs) {
      const author = await this.deps.names.nameOf(start.user);
      const words = await toPlainText(start.text, this.deps.names);
      const update = (text: string) => this.deps.client.chat.update({ channel: start.channel, ts: rootTs, text });
      await sendOrMinimal(
        () => update(failedRootText(author, reason, words)),
        () => update(failedRootText(author, undefined, '')),
        this.deps.log,
        { channel: start.channel, ts: rootTs, method: 'chat.update' },
      ).catch((error: unknown) =>
        this.deps.log.warn({ channel_id: start.channel, err: error }, 'could not mark the root message failed'),
      );
    }
    await this.tell(start, why);
  }

  /**
   * The task as people wrote it, quoted: Slack's encoding of the command's text (`&amp;`, `&lt;`, mentions) is decoded
   * once, as words, and escaped once on the way out.
   */
  private async quoted(start: PendingStart): Promise<string> {
    return quotedTask(await toPlainText(start.text, this.deps.names));
  }

  private inThread(start: PendingStart, text: string, blocks?: types.KnownBlock[]) {
    return this.deps.client.chat.postMessage({
      channel: start.channel,
      thread_ts: start.threadTs ?? start.ts ?? '',
      text,
      ...(blocks ? { blocks } : {}),
      unfurl_links: false,
    });
  }

  /** Answers only the person who ran the command; a failure is logged (the thread shows the outcome). */
  private async tell(start: PendingStart, text: string): Promise<void> {
    if (!start.responseUrl) return;
    try {
      await this.respond(start.responseUrl, text);
    } catch (error) {
      this.deps.log.warn(
        { channel_id: start.channel, err: error },
        'could not answer a command through its response_url',
      );
    }
  }
}

/** The start's options on a line of their own, or nothing. */
function optionsSuffix(start: PendingStart): string {
  const line = startOptionsLine(start.options);
  return line ? `\n${line}` : '';
}

/** The task (plain words) as the root message quotes it, escaped once and cut to its share of the message. */
function quotedTask(words: string, max = TASK_QUOTE_LIMIT): string {
  return quoteBlock(escapeSlackText(words), Math.min(max, TASK_QUOTE_LIMIT));
}

/**
 * The root message of a command start that failed: who tried, Devin's reason (cut) and the task (cut to what is left
 * of the 4,000 characters a status edit holds).
 */
export function failedRootText(author: string, reason: string | undefined, taskWords: string): string {
  const failed = `:warning: ${fitEscaped(author, 200)} tried to start a Devin session, but it failed`;
  if (!reason && !taskWords) return `${failed}.`;
  const line = reason ? `${failed}: ${fitEscaped(reason, REASON_LIMIT)}` : failed;
  const quote = quotedTask(taskWords, SLACK_LIMITS.messageText - line.length - 1);
  return fitMrkdwn(quote ? `${line}\n${quote}` : line, SLACK_LIMITS.messageText);
}
