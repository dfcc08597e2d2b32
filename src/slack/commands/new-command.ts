import { limitedNotice } from '../../relay/start-limits';
import { renderNotice } from '../views/notice-blocks';
import type { CommandDeps } from './command-context';

export interface NewCommand {
  team: string;
  channel: string;
  userId: string;
  responseUrl: string;
  task: string;
}

const NOT_RECORDED =
  "I couldn't record `/devin new` (the app's store failed), so no session was started; please try again.";

/**
 * `/devin new <task>`: recorded before Slack hears back, then carried out without holding the answer (root message,
 * session, binding, confirmation: see `SlackStarts`). What Slack acknowledges is resumed after a crash. Slack does not
 * redeliver commands, so a request that could not be recorded is answered with one sentence instead of an error.
 */
export async function startSession(deps: CommandDeps, command: NewCommand): Promise<string | undefined> {
  try {
    const allowance = await deps.starts.acceptCommand({
      team: command.team,
      channel: command.channel,
      user: command.userId,
      text: command.task,
      responseUrl: command.responseUrl,
    });
    return allowance.ok ? undefined : renderNotice(limitedNotice(allowance)).text;
  } catch (error) {
    deps.log.error({ channel_id: command.channel, user_id: command.userId, err: error }, 'could not record /devin new');
    return NOT_RECORDED;
  }
}
