import type { App } from '@slack/bolt';
import type { ListenerDeps } from './listener-deps';

/** The App Home: published for whoever opens its Home tab, from their sessions; nothing waits for Slack here. */
export function registerAppHome(app: App, deps: ListenerDeps): void {
  app.event('app_home_opened', async ({ event, body, context }) => {
    if (event.tab !== 'home' || !event.user) return;
    deps.home.show({ team: body.team_id ?? context.teamId ?? '', userId: event.user });
  });
}
