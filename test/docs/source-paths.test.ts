import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');
const pages = [
  'README.md',
  'CONTRIBUTING.md',
  'SECURITY.md',
  ...readdirSync(join(root, 'docs')).map((f) => `docs/${f}`),
];

/** Paths of the repository's own files named in a page (`src/relay/poller.ts`, `test/support/`, ...). */
function namedPaths(page: string): string[] {
  const text = readFileSync(join(root, page), 'utf8');
  const found = text.match(/(?<![\w/.-])(?:src|test|bench|scripts|deploy)\/[\w./-]*[\w/]/g) ?? [];
  // architecture.md shows where a third API version would go: files that by design do not exist yet; and
  // `kubectl scale deploy/devin-slack` names a Kubernetes object, not a file.
  return [...new Set(found)].filter((path) => !path.includes('/v4/') && path !== 'deploy/devin-slack');
}

describe('the paths the docs name', () => {
  it.each(pages)('exist in the repository: %s', (page) => {
    expect(namedPaths(page).filter((path) => !existsSync(join(root, path)))).toEqual([]);
  });

  it('are found in the pages (the check reads them)', () => {
    expect(namedPaths('docs/how-it-works.md')).toContain('src/relay/poller.ts');
  });
});
