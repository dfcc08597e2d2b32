import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brokenLinks, headingAnchors, linkedFiles, linkTargets } from '../support/markdown-links';

const ROOT = join(__dirname, '..', '..');
const DOCS = readdirSync(join(ROOT, 'docs'))
  .filter((name) => name.endsWith('.md'))
  .map((name) => `docs/${name}`);
const PAGES = ['README.md', 'CONTRIBUTING.md', 'SECURITY.md', 'CHANGELOG.md', ...DOCS];

describe('the links of the README and the docs', () => {
  it.each(PAGES)('%s links only to files and headings that exist', (page) => {
    expect(brokenLinks(join(ROOT, page), ROOT)).toEqual([]);
  });

  it('reach every page of docs/ from the README', () => {
    const linked = new Set(linkedFiles(join(ROOT, 'README.md'), ROOT));
    expect(DOCS.filter((page) => !linked.has(page))).toEqual([]);
  });
});

describe('the link check', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'devin-slack-links-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('names a missing file, a missing anchor and a missing anchor of the page itself', () => {
    writeFileSync(join(dir, 'other.md'), '# Other page\n\n## Set up `Devin`\n\n## Set up `Devin`\n');
    writeFileSync(
      join(dir, 'page.md'),
      [
        '# Page',
        '[fine](other.md#set-up-devin) [second](other.md#set-up-devin-1) [top](#page) [site](https://example.com/x.md)',
        '[gone](missing.md) [no anchor](other.md#set-up-slack) [here](#nowhere)',
        '```md',
        '[in code](nothing.md)',
        '```',
      ].join('\n'),
    );
    expect(brokenLinks(join(dir, 'page.md'), dir)).toEqual([
      'page.md: missing.md (no such file)',
      'page.md: other.md#set-up-slack (no heading with this anchor in other.md)',
      'page.md: #nowhere (no heading with this anchor in page.md)',
    ]);
  });

  it('reads headings and links as GitHub renders them', () => {
    expect([...headingAnchors("## Devin's API v1 and v3\n### Probes (Kubernetes)\n## `/devin` *say*")]).toEqual([
      'devins-api-v1-and-v3',
      'probes-kubernetes',
      'devin-say',
    ]);
    expect(linkTargets('[a](a.md) ![b](b.png) `[c](c.md)` <https://d.example>')).toEqual([
      'a.md',
      'b.png',
      'https://d.example',
    ]);
  });
});
