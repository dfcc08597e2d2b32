import { createHash, timingSafeEqual } from 'node:crypto';
import type { CustomRoute } from '@slack/bolt';
import type { Metrics } from './metrics';

/**
 * `GET /metrics` in Prometheus's text format. With a token, only a request carrying `Authorization: Bearer <token>`
 * is answered; any other gets 401 and no metric.
 */
export function metricsRoute(metrics: Metrics, token?: string): CustomRoute {
  return {
    path: '/metrics',
    method: ['GET'],
    handler: (req, res) => {
      if (token && !bearerMatches(req.headers.authorization, token)) {
        res.writeHead(401, { 'content-type': 'text/plain', 'www-authenticate': 'Bearer realm="metrics"' });
        res.end('metrics need Authorization: Bearer <METRICS_TOKEN>\n');
        return;
      }
      metrics.text().then(
        (text) => {
          res.writeHead(200, { 'content-type': metrics.contentType });
          res.end(text);
        },
        (error: unknown) => {
          res.writeHead(500, { 'content-type': 'text/plain' });
          res.end(`metrics could not be collected: ${error instanceof Error ? error.message : String(error)}\n`);
        },
      );
    },
  };
}

/** Compares digests, so the time taken says nothing about how much of the token was right. */
function bearerMatches(header: string | undefined, token: string): boolean {
  const given = /^Bearer\s+(.+)$/i.exec(header ?? '')?.[1]?.trim() ?? '';
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(given), digest(token));
}
