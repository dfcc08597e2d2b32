import type { Dispatcher } from 'undici';
import type { DevinConfig, ProxyConfig } from '../config/config-types';
import type { CheckResult } from '../lib/check-result';
import { proxyDispatcher } from '../net/proxy-dispatcher';
import type { DevinApi } from '../relay/ports/devin';
import { DEVIN_VERSIONS } from './devin-versions';
import type { DevinRequestMetrics } from './http/devin-http';
import type { DevinClientOptions } from './shared/client-options';

export interface DevinApiDeps {
  metrics?: DevinRequestMetrics;
  /** What requests go through; by default the configured proxy (`HTTPS_PROXY`), or none. */
  dispatcher?: Dispatcher;
  /** A deadline other than `DEVIN_REQUEST_TIMEOUT_MS` (the doctor's). */
  timeoutMs?: number;
}

/** What a Devin client is made from: the Devin settings, where its files live, and the proxy. */
export interface DevinApiConfig {
  devin: DevinConfig;
  files: { devinHosts: readonly string[] };
  proxy?: ProxyConfig;
}

/** The options every version's client takes, from the configuration. */
export function clientOptions(config: DevinApiConfig, deps: DevinApiDeps = {}): DevinClientOptions {
  const { devin } = config;
  const dispatcher = deps.dispatcher ?? (config.proxy ? proxyDispatcher(config.proxy) : undefined);
  return {
    apiUrl: devin.apiUrl,
    apiKey: devin.apiKey,
    timeoutMs: deps.timeoutMs ?? devin.requestTimeoutMs,
    webUrl: devin.webUrl,
    attachmentHosts: config.files.devinHosts,
    ...(deps.metrics ? { metrics: deps.metrics } : {}),
    ...(dispatcher ? { dispatcher } : {}),
  };
}

/** The Devin client the configuration asks for (`DEVIN_API_VERSION`, or the version the key's prefix names). */
export function createDevinApi(config: DevinApiConfig, deps: DevinApiDeps = {}): DevinApi {
  return DEVIN_VERSIONS[config.devin.version].create(config.devin, clientOptions(config, deps));
}

/** How the configured version is named: `Devin's API v3`. */
export function devinApiLabel(config: DevinApiConfig): string {
  return DEVIN_VERSIONS[config.devin.version].label;
}

/** The doctor's checks of the configured version: the key, and whatever else it needs; each within `deadlineMs`. */
export function checkDevin(config: DevinApiConfig, deadlineMs: number): Promise<CheckResult[]> {
  const timeoutMs = Math.min(config.devin.requestTimeoutMs, deadlineMs);
  return DEVIN_VERSIONS[config.devin.version].checks(config.devin, clientOptions(config, { timeoutMs }), deadlineMs);
}
