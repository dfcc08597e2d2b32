import type { App } from '@slack/bolt';
import { OPEN_IN_DEVIN_ACTION, OPEN_THREAD_ACTION } from '../home-view';
import type { ListenerDeps } from '../listener-deps';

/** The App Home: published for whoever opens its Home tab, from their sessions; nothing waits for Slack here. */
export function registerAppHome(app: App, deps: ListenerDeps): void {
  app.event('app_home_opened', async ({ event, body, context }) => {
    if (event.tab !== 'home' || !event.user) return;
    deps.home.show({ team: body.team_id ?? context.teamId ?? '', userId: event.user });
  });
  // Slack opens a link button's URL itself and tells the app of the press too: acknowledged, nothing else to do.
  for (const action of [OPEN_THREAD_ACTION, OPEN_IN_DEVIN_ACTION]) app.action(action, async ({ ack }) => ack());
}
