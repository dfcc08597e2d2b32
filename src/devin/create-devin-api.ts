import type { Dispatcher } from 'undici';
import type { DevinConfig, ProxyConfig } from '../config/load-config';
import { proxyDispatcher } from '../net/proxy-dispatcher';
import type { Metrics } from '../ops/metrics';
import type { DevinApi } from '../relay/ports/devin';
import { DevinClient } from './v1/devin-v1-client';
import { DevinV3Client } from './v3/devin-v3-client';

export interface DevinApiDeps {
  metrics?: Metrics;
  /** What requests go through; by default the configured proxy (`HTTPS_PROXY`), or none. */
  dispatcher?: Dispatcher;
  /** A deadline other than `DEVIN_REQUEST_TIMEOUT_MS` (the doctor's). */
  timeoutMs?: number;
}

/** The Devin client the configuration asks for: API v1 (`apk_` keys) or the organization API v3 (`cog_` tokens). */
export function createDevinApi(config: { devin: DevinConfig; proxy?: ProxyConfig }, deps: DevinApiDeps = {}): DevinApi {
  const { devin } = config;
  const dispatcher = deps.dispatcher ?? (config.proxy ? proxyDispatcher(config.proxy) : undefined);
  const options = {
    apiUrl: devin.apiUrl,
    apiKey: devin.apiKey,
    timeoutMs: deps.timeoutMs ?? devin.requestTimeoutMs,
    ...(deps.metrics ? { metrics: deps.metrics } : {}),
    ...(dispatcher ? { dispatcher } : {}),
  };
  if (devin.version === 'v1') return new DevinClient(options);
  return new DevinV3Client({ ...options, webUrl: devin.webUrl, ...(devin.orgId ? { orgId: devin.orgId } : {}) });
}
