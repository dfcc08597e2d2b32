import type { CustomRoute } from '@slack/bolt';
import type { Readiness } from './readiness';

/**
 * `/healthz`: the process is alive and listening (200 even while the store is down: restarting it would not help).
 * `/readyz`: it can take and record Slack's events now (see `Readiness`): 200 (`ready`, or `degraded` while Devin or
 * Slack has trouble, naming them), or 503 with each failing check, its problem and its fix, so that a load balancer
 * sends Slack's requests elsewhere until it is back.
 */
export function healthRoutes(readiness: Pick<Readiness, 'mode' | 'report'>): CustomRoute[] {
  return [
    {
      path: '/healthz',
      method: ['GET'],
      handler: (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ ok: true, mode: readiness.mode }));
      },
    },
    {
      path: '/readyz',
      method: ['GET'],
      handler: (_req, res) => {
        void readiness.report().then((body) => {
          res.writeHead(body.ok ? 200 : 503, { 'content-type': 'application/json', 'cache-control': 'no-store' });
          res.end(JSON.stringify(body));
        });
      },
    },
  ];
}
