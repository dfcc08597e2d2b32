import type { App, MessageShortcut, ViewSubmitAction } from '@slack/bolt';
import { tellPrivately } from '../outbound/tell-privately';
import { sendToDevin, submitForm } from '../shortcut/send-to-devin';
import { messageOf } from '../text/shortcut-message';
import {
  NEW_SESSION,
  SEND_TO_DEVIN_FORM,
  SEND_TO_DEVIN_SHORTCUT,
  TARGET_ACTION,
  TARGET_BLOCK,
} from '../views/send-to-devin-form';
import { OPTION_BLOCK, readStartOptionInputs, type ViewValues } from '../views/start-options-form';
import type { ListenerDeps } from './listener-deps';

/**
 * Send to Devin, the message shortcut (the answer to "slash commands do not work in threads"), and the form it opens
 * outside bound threads. Both are acknowledged at once; the work runs after Slack's answer.
 */
export function registerSendToDevin(app: App, deps: ListenerDeps): void {
  app.shortcut<MessageShortcut>(
    { callback_id: SEND_TO_DEVIN_SHORTCUT, type: 'message_action' },
    async ({ ack, shortcut, client, context }) => {
      await ack();
      const team = shortcut.team?.id ?? shortcut.user.team_id ?? context.teamId ?? '';
      const message = messageOf(shortcut, team);
      const sender = {
        team,
        userId: shortcut.user.id,
        ...(shortcut.user.team_id ? { userTeam: shortcut.user.team_id } : {}),
        ...(shortcut.response_url ? { responseUrl: shortcut.response_url } : {}),
      };
      const ctx = { deps, client, botUserId: context.botUserId };
      deps.background.run(
        'Send to Devin',
        { channel: message.channel, user: sender.userId },
        () => sendToDevin(ctx, message, sender, shortcut.trigger_id),
        (sentence) =>
          tellPrivately(
            { client, log: deps.log, dispatcher: deps.dispatcher },
            { ...sender, channel: message.channel },
            sentence,
          ),
      );
    },
  );

  app.view<ViewSubmitAction>(SEND_TO_DEVIN_FORM, async ({ ack, body, view, client, context }) => {
    const choice = view.state.values[TARGET_BLOCK]?.[TARGET_ACTION]?.selected_option?.value;
    if (!choice) {
      await ack({ response_action: 'errors', errors: { [TARGET_BLOCK]: 'Pick one of your sessions, or a new one.' } });
      return;
    }
    const asked = readStartOptionInputs(view.state.values as ViewValues);
    if (choice === NEW_SESSION) {
      // A value Devin would refuse is shown on its input, and the form stays open; names are looked up after.
      const syntax = deps.optionLookup.check(asked);
      if (!syntax.ok) {
        const block = OPTION_BLOCK[syntax.key ?? 'acu'];
        await ack({ response_action: 'errors', errors: { [block]: syntax.problem.replace(/`/g, '') } });
        return;
      }
    }
    await ack();
    const userId = body.user.id;
    deps.background.run(
      'Send to Devin',
      { user: userId },
      () =>
        submitForm(
          { deps, client, botUserId: context.botUserId },
          { draftId: view.private_metadata, choice, userId, viewId: view.id, asked },
        ),
      (sentence) => tellPrivately({ client, log: deps.log, dispatcher: deps.dispatcher }, { userId }, sentence),
    );
  });
}
