import type { types, webApi } from '@slack/bolt';
import { refusalSentence } from '../access/access-policy';
import type { SlackAccess } from '../access/slack-access';
import type { Logger } from '../logger';
import type { PendingStart } from '../relay/pending-starts';
import type { StartedSession, StartPort, StatusMessage } from '../relay/start-port';
import { cannotPostSentence } from './commands/command-context';
import { escapeSlackText, quoteBlock } from './outgoing-text';
import { respondTo } from './response-url';
import { renderRoot } from './root-blocks';
import type { SlackNames } from './slack-names';
import { startPrompt } from './start-prompt';

const ASK_FOR_TASK = {
  mention: 'Mention me with a task, for example `@Devin fix the flaky login test`.',
  'direct-message': 'Send me a task, for example `fix the flaky login test`, and I will start a Devin session.',
  shortcut: 'That message holds no task, so no session was started; use *Send to Devin* on a message with words.',
};
const SOMETHING_WENT_WRONG =
  'Something went wrong with starting a Devin session, so it did not finish; please try again.';

export interface SlackStartsDeps {
  client: webApi.WebClient;
  access: SlackAccess;
  names: SlackNames;
  log: Logger;
  /** Answers the person who ran a command (tests may watch it). */
  respond?: (responseUrl: string, text: string) => Promise<void>;
}

/**
 * How a start looks in Slack. A mention or direct message is answered in its thread. `/devin new` posts a root message
 * in the channel, updates it once the session is known, and answers the person who ran it through the response_url.
 */
export class SlackStarts implements StartPort {
  private readonly respond: (responseUrl: string, text: string) => Promise<void>;

  constructor(private readonly deps: SlackStartsDeps) {
    this.respond = deps.respond ?? respondTo;
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
        text: `:hourglass_flowing_sand: ${escapeSlackText(author)} is starting a Devin session…\n${quoted(start)}`,
        unfurl_links: false,
      });
      if (root.ts) return root.ts;
      await this.tell(start, 'Slack did not return the posted message, so no session was started.');
    } catch (error) {
      this.deps.log.warn({ channel: start.channel, err: error }, 'could not post a session root message');
      await this.tell(start, cannotPostSentence(error));
    }
    return undefined;
  }

  async started(start: PendingStart, session: StartedSession): Promise<StatusMessage | undefined> {
    const link = `<${session.sessionUrl}|a Devin session> (\`${session.sessionId}\`)`;
    if (start.source !== 'command') {
      const header =
        `:rocket: Started ${link}. Replies in this thread reach Devin; start one with \`(aside)\` to keep it ` +
        'between people.';
      const root = renderRoot({ header, view: { state: 'working' }, ...session });
      const posted = await this.inThread(start, root.text, root.blocks);
      return posted.ts ? { statusTs: posted.ts, statusHeader: header } : undefined;
    }
    if (!start.rootTs) return undefined;
    const author = await this.deps.names.nameOf(start.user);
    const header = `${escapeSlackText(author)} started ${link}\n${quoted(start)}\nReply in this thread to steer Devin.`;
    await this.deps.client.chat.update({
      channel: start.channel,
      ts: start.rootTs,
      ...renderRoot({ header, view: { state: 'working' }, ...session }),
    });
    return { statusTs: start.rootTs, statusHeader: header };
  }

  async confirm(start: PendingStart, session: StartedSession): Promise<void> {
    await this.tell(
      start,
      `Started <${session.sessionUrl}|the Devin session>. Reply in its thread in this channel to steer it.`,
    );
  }

  async failed(start: PendingStart, reason: string | undefined): Promise<void> {
    if (start.source !== 'command') {
      const text = reason ? `I couldn't start a Devin session: ${escapeSlackText(reason)}` : SOMETHING_WENT_WRONG;
      await this.inThread(start, `:warning: ${text}`);
      return;
    }
    if (start.rootTs) {
      const author = escapeSlackText(await this.deps.names.nameOf(start.user));
      const why = reason ? `: ${escapeSlackText(reason)}` : '';
      await this.deps.client.chat
        .update({
          channel: start.channel,
          ts: start.rootTs,
          text: `:warning: ${author} tried to start a Devin session, but it failed${why}\n${quoted(start)}`,
        })
        .catch((error: unknown) =>
          this.deps.log.warn({ channel: start.channel, err: error }, 'could not mark the root message failed'),
        );
    }
    await this.tell(start, reason ? `I couldn't start a Devin session: ${reason}` : SOMETHING_WENT_WRONG);
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
      this.deps.log.warn({ channel: start.channel, err: error }, 'could not answer a command through its response_url');
    }
  }
}

function quoted(start: PendingStart): string {
  return quoteBlock(escapeSlackText(start.text), 2500);
}
