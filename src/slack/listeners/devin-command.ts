import type { App } from '@slack/bolt';
import { refusalSentence } from '../../relay/access-policy';
import { changeBudget } from '../commands/budget-command';
import { type CommandContext, tell } from '../commands/command-context';
import { changesSettings, configureChannel, parseConfig } from '../commands/config-command';
import { showCost } from '../commands/cost-command';
import { parseDevinCommand } from '../commands/devin-command';
import { changeDigest } from '../commands/digest-command';
import { linkSession } from '../commands/link-command';
import { listYourSessions } from '../commands/list-command';
import { startSession } from '../commands/new-command';
import { sayToSession } from '../commands/say-command';
import { showStatus } from '../commands/status-command';
import { changeSteerers } from '../commands/steerers-command';
import { usageText } from '../views/usage-text';
import type { ListenerDeps } from './listener-deps';

/** `/devin`: acknowledged at once; the outcome follows through the response_url. */
export function registerDevinCommand(app: App, deps: ListenerDeps): void {
  app.command('/devin', async ({ command, ack, respond, client }) => {
    const parsed = parseDevinCommand(command.text ?? '');
    if (parsed.kind === 'help') return ack({ response_type: 'ephemeral', text: usageText() });
    if (parsed.kind === 'usage') {
      return ack({ response_type: 'ephemeral', text: `${parsed.problem}\n\n${usageText()}` });
    }
    const asker = { team: command.team_id, channel: command.channel_id, userId: command.user_id };
    if (parsed.kind === 'new') {
      const refused = await deps.access.check(
        { ...asker, action: 'start' },
        (actor) => deps.access.policy.mayAct(actor),
        {
          lookUp: false,
        },
      );
      if (refused) return ack({ response_type: 'ephemeral', text: refusalSentence(refused) });
      const problem = await startSession(deps, {
        team: command.team_id,
        channel: command.channel_id,
        userId: command.user_id,
        responseUrl: command.response_url,
        task: parsed.task,
      });
      return ack(problem ? { response_type: 'ephemeral', text: problem } : undefined);
    }
    if (parsed.kind === 'config') {
      const request = parseConfig(parsed.args);
      // Looking is for whoever may use Devin here; changing, for the admins (or, with none, the same people).
      const refused = await deps.access.check(
        { ...asker, action: 'config' },
        (actor) =>
          changesSettings(request) ? deps.access.policy.mayConfigure(actor) : deps.access.policy.mayAct(actor),
        { lookUp: false },
      );
      if (refused) return ack({ response_type: 'ephemeral', text: refusalSentence(refused) });
    }
    await ack();
    const ctx: CommandContext = {
      deps,
      client,
      respond,
      team: command.team_id,
      channel: command.channel_id,
      userId: command.user_id,
      responseUrl: command.response_url,
    };
    deps.background.run(
      `\`/devin ${parsed.kind}\``,
      { channel: ctx.channel, user: ctx.userId },
      async () => {
        switch (parsed.kind) {
          case 'link':
            return linkSession(ctx, parsed.ref);
          case 'say':
            return sayToSession(ctx, parsed.target, parsed.message);
          case 'status':
            return showStatus(ctx, parsed.ref);
          case 'list':
            return listYourSessions(ctx);
          case 'config':
            return configureChannel(ctx, parseConfig(parsed.args));
          case 'allow':
          case 'deny':
            return changeSteerers(ctx, parsed.target, parsed.userId, parsed.kind === 'allow');
          case 'cost':
            return showCost(ctx, parsed.period);
          case 'digest':
            return changeDigest(ctx, parsed.on, parsed.at);
          case 'budget':
            return changeBudget(ctx, parsed.acus);
        }
      },
      (sentence) => tell(ctx, sentence),
    );
  });
}
