import type { App } from '@slack/bolt';
import { registerAppHome } from './app-home';
import { registerAppMention } from './app-mention';
import { registerArchiveSession } from './archive-session';
import { registerDevinCommand } from './devin-command';
import { registerEndSession } from './end-session';
import { registerLinkButtons } from './link-buttons';
import type { ListenerDeps } from './listener-deps';
import { registerReplyChanges } from './reply-changes';
import { registerResendAction } from './resend-action';
import { registerSendToDevin } from './send-to-devin';
import { registerThreadReplies } from './thread-reply';

/**
 * Every way Slack reaches the app: `/devin`, mentions and direct messages, thread replies, the buttons (Resend, End
 * session, the links), the Home tab and the Send to Devin shortcut. Failures are rethrown for the intake, which logs
 * each once and decides what Slack is answered (only a store outage asks for a retry).
 */
export function registerListeners(app: App, deps: ListenerDeps): void {
  registerDevinCommand(app, deps);
  registerAppMention(app, deps);
  registerThreadReplies(app, deps);
  registerReplyChanges(app, deps);
  registerResendAction(app, deps);
  registerEndSession(app, deps);
  registerArchiveSession(app, deps);
  registerLinkButtons(app);
  registerAppHome(app, deps);
  registerSendToDevin(app, deps);
  app.error(async (error) => {
    throw error;
  });
}
