import { type Dispatcher, EnvHttpProxyAgent, FormData as UndiciFormData, fetch as undiciFetch } from 'undici';
import type { ProxyConfig } from '../config/config-types';

/**
 * What outbound requests (Slack's Web API and Socket Mode, Slack's files and response URLs, Devin's API) go through
 * when a proxy is configured: undici's `EnvHttpProxyAgent`, given the configuration's values (it never reads the
 * environment itself), so that `NO_PROXY` is applied as curl applies it. Undefined without a proxy: requests go direct.
 */
export function proxyDispatcher(proxy: ProxyConfig): Dispatcher | undefined {
  if (!proxy.httpsProxy && !proxy.httpProxy) return undefined;
  // An empty value is "none" to undici; `https:` addresses then go through HTTP_PROXY.
  return new EnvHttpProxyAgent({
    httpProxy: proxy.httpProxy ?? '',
    httpsProxy: proxy.httpsProxy ?? '',
    noProxy: proxy.noProxy ?? '',
  });
}

type FetchInput = Parameters<typeof undiciFetch>[0];
type FetchInit = NonNullable<Parameters<typeof undiciFetch>[1]>;

/** `fetch` that sends through `dispatcher` (Slack's WebClient and Bolt's `respond` take a fetch); Node's without one. */
export function fetchThrough(dispatcher: Dispatcher | undefined): typeof fetch {
  if (!dispatcher) return globalThis.fetch;
  const through = (input: FetchInput, init?: FetchInit) =>
    undiciFetch(input, { ...init, body: ownFormData(init?.body), dispatcher });
  return through as unknown as typeof fetch;
}

/**
 * undici's own `fetch` sends Node's built-in `FormData` (another copy of undici) as the text `[object FormData]`: its
 * entries are moved into undici's class first.
 */
function ownFormData(body: FetchInit['body'] | globalThis.FormData): FetchInit['body'] {
  if (!(body instanceof globalThis.FormData) || body instanceof UndiciFormData) return body as FetchInit['body'];
  const copy = new UndiciFormData();
  for (const [name, value] of body.entries()) copy.append(name, value);
  return copy;
}
