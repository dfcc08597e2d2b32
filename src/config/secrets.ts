import { storePassword } from './store-url';

/** The variables that hold secrets: never printed, never logged. */
export const SECRET_VARIABLES = [
  'SLACK_BOT_TOKEN',
  'SLACK_SIGNING_SECRET',
  'SLACK_APP_TOKEN',
  'DEVIN_API_KEY',
  'METRICS_TOKEN',
] as const;

/** The proxy variables, each also read in lower case (`https_proxy`) as curl and most tools do; upper case wins. */
export const PROXY_VARIABLES = ['HTTPS_PROXY', 'HTTP_PROXY', 'NO_PROXY'] as const;

export function proxyVariable(env: NodeJS.ProcessEnv, name: (typeof PROXY_VARIABLES)[number]): string | undefined {
  return env[name]?.trim() || env[name.toLowerCase()]?.trim() || undefined;
}

/** The secret values set in `env`, valid or not, so that output can be cleaned of them even when config is wrong. */
export function secretValues(env: NodeJS.ProcessEnv): string[] {
  const urls = [env.STORE_URL, ...PROXY_VARIABLES.map((name) => proxyVariable(env, name))];
  const values = [
    ...SECRET_VARIABLES.map((name) => env[name]?.trim() ?? ''),
    ...urls.map((url) => storePassword(url ?? '') ?? ''),
  ];
  return values.filter((value) => value.length >= 4);
}
