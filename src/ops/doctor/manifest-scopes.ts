import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

/** `manifest.yml` at the package's root, beside `src/` and `dist/`. */
export const MANIFEST_PATH = join(__dirname, '..', '..', '..', 'manifest.yml');

/** The bot scopes the app's manifest declares: what the app uses, so what its bot token must be granted. */
export function manifestBotScopes(path = MANIFEST_PATH): string[] {
  const manifest = parse(readFileSync(path, 'utf8')) as { oauth_config?: { scopes?: { bot?: unknown } } } | null;
  const scopes = manifest?.oauth_config?.scopes?.bot;
  if (!Array.isArray(scopes) || !scopes.every((s) => typeof s === 'string')) {
    throw new Error(`${path} declares no oauth_config.scopes.bot list`);
  }
  return scopes;
}
