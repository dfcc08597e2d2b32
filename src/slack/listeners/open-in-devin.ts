import type { App } from '@slack/bolt';
import { OPEN_IN_DEVIN_ACTION } from '../root-blocks';

/** Open in Devin is a link: Slack opens it and still tells the app, which only acknowledges the press. */
export function registerOpenInDevin(app: App): void {
  app.action(OPEN_IN_DEVIN_ACTION, async ({ ack }) => {
    await ack();
  });
}
