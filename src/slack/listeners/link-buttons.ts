import type { App } from '@slack/bolt';
import { OPEN_THREAD_ACTION } from '../views/home-view';
import { OPEN_IN_DEVIN_ACTION } from '../views/root-blocks';

/** Open in Devin and Open thread are links: Slack opens them and still tells the app, which only acknowledges. */
export function registerLinkButtons(app: App): void {
  for (const action of [OPEN_IN_DEVIN_ACTION, OPEN_THREAD_ACTION]) {
    app.action(action, async ({ ack }) => {
      await ack();
    });
  }
}
