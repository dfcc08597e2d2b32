import { z } from 'zod';
import { ACCESS_VARIABLES } from './access-variables';
import { DEVIN_VARIABLES } from './devin-variables';
import { SERVER_VARIABLES } from './server-variables';
import { SLACK_VARIABLES } from './slack-variables';

/**
 * Every environment variable the app reads, with its check, its default and its meaning (`.describe()`, one line):
 * the one schema that the configuration, `.env.example` and the docs follow.
 */
export const CONFIG_SCHEMA = z.object({
  ...SLACK_VARIABLES,
  ...DEVIN_VARIABLES,
  ...ACCESS_VARIABLES,
  ...SERVER_VARIABLES,
});

/** Every variable the configuration reads (`.env.example` lists each one). */
export const CONFIG_VARIABLES: readonly string[] = Object.keys(CONFIG_SCHEMA.shape);
