import type { CustomRoute } from '@slack/bolt';
import type { Store } from './store/store';

export interface HealthState {
  mode: 'socket' | 'http';
  /** Taking events: started and not stopping. */
  serving(): boolean;
  store: Pick<Store, 'ping'>;
}

/**
 * `/healthz`: the process is alive and listening (200 even while the store is down: restarting it would not help).
 * `/readyz`: it can do its work now: taking events and its store answers; otherwise 503 naming what is wrong, so that
 * a load balancer sends Slack's requests elsewhere until it is back.
 */
export function healthRoutes(state: HealthState): CustomRoute[] {
  return [
    {
      path: '/healthz',
      method: ['GET'],
      handler: (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ ok: true, mode: state.mode }));
      },
    },
    {
      path: '/readyz',
      method: ['GET'],
      handler: (_req, res) => {
        void readiness(state).then((body) => {
          res.writeHead(body.ok ? 200 : 503, { 'content-type': 'application/json' });
          res.end(JSON.stringify(body));
        });
      },
    },
  ];
}

async function readiness(state: HealthState): Promise<{ ok: boolean; mode: string; store: string; events: string }> {
  let store = 'ok';
  try {
    await state.store.ping();
  } catch (error) {
    store = `unreachable: ${error instanceof Error ? error.message : String(error)}`;
  }
  const events = state.serving() ? 'ok' : 'not taking events (starting or stopping)';
  return { ok: store === 'ok' && events === 'ok', mode: state.mode, store, events };
}
