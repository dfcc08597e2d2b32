import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import GithubSlugger from 'github-slugger';
import type { Token } from 'markdown-it';
import MarkdownIt from 'markdown-it';

const markdown = new MarkdownIt();
/** An address with a scheme (`https:`, `mailto:`) or protocol-relative: not a file of the repository. */
const EXTERNAL = /^([a-z][a-z0-9+.-]*:|\/\/)/i;

/** Every link and image target of a Markdown text, as written (fenced code and inline code hold none). */
export function linkTargets(text: string): string[] {
  const targets: string[] = [];
  const visit = (tokens: Token[]) => {
    for (const token of tokens) {
      const target =
        token.type === 'link_open' ? token.attrGet('href') : token.type === 'image' ? token.attrGet('src') : null;
      if (typeof target === 'string') targets.push(target);
      if (token.children) visit(token.children);
    }
  };
  visit(markdown.parse(text, {}));
  return targets;
}

/** The anchors GitHub gives a Markdown text's headings (`## Set up Devin` -> `set-up-devin`; repeats get `-1`, `-2`). */
export function headingAnchors(text: string): Set<string> {
  const slugger = new GithubSlugger();
  const tokens = markdown.parse(text, {});
  const anchors = new Set<string>();
  tokens.forEach((token, i) => {
    if (token.type !== 'heading_open') return;
    const words = (tokens[i + 1]?.children ?? [])
      .filter((child) => child.type === 'text' || child.type === 'code_inline')
      .map((child) => child.content)
      .join('');
    anchors.add(slugger.slug(words));
  });
  return anchors;
}

/**
 * The relative links of a Markdown file that lead nowhere: to a file or folder that does not exist, or to an anchor no
 * heading of the target has. Each is described as `file: target (why)`, the file relative to `root`.
 */
export function brokenLinks(file: string, root: string): string[] {
  const text = readFileSync(file, 'utf8');
  const broken: string[] = [];
  for (const target of linkTargets(text)) {
    if (EXTERNAL.test(target)) continue;
    const [path = '', anchor] = target.split('#', 2);
    const resolved = path === '' ? file : resolve(dirname(file), decodeURIComponent(path));
    const where = `${relative(root, file)}: ${target}`;
    if (!existsSync(resolved)) {
      broken.push(`${where} (no such file)`);
      continue;
    }
    if (anchor === undefined || !resolved.endsWith('.md') || statSync(resolved).isDirectory()) continue;
    if (!headingAnchors(readFileSync(resolved, 'utf8')).has(decodeURIComponent(anchor))) {
      broken.push(`${where} (no heading with this anchor in ${relative(root, resolved)})`);
    }
  }
  return broken;
}

/** The files of the repository a Markdown file links to, relative to `root`. */
export function linkedFiles(file: string, root: string): string[] {
  return linkTargets(readFileSync(file, 'utf8'))
    .filter((target) => !EXTERNAL.test(target) && !target.startsWith('#'))
    .map((target) => relative(root, join(dirname(file), decodeURIComponent(target.split('#')[0] ?? ''))));
}
