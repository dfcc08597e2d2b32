import type { Token } from 'markdown-it';
import MarkdownIt from 'markdown-it';
import { labelMisleads } from './link-label';
import { type BlockNode, buildTree, inlineChildren, plainText, tableRows } from './markdown-tree';
import { escapeSlackText } from './outgoing-text';

/** One output line; verbatim lines (code blocks, fences included) are never indented by the list they sit in. */
interface Line {
  text: string;
  verbatim: boolean;
}

const MAX_NESTING = 100;
// html: false keeps raw HTML as text tokens; fuzzyLink: false keeps file names such as README.md from becoming links.
const md = new MarkdownIt({ html: false, linkify: true, maxNesting: MAX_NESTING });
md.linkify.set({ fuzzyLink: false });

const BULLETS = ['•', '◦', '▪'];
const LIST_INDENT = '    ';
const RULE = '———';
const LINKABLE = /^(?:https?:\/\/|mailto:)/i;

/** Devin's GitHub-flavoured Markdown as Slack mrkdwn; every character Devin wrote is escaped so it cannot ping. */
export function markdownToMrkdwn(markdown: string): string {
  if (typeof markdown !== 'string' || markdown.trim() === '') return '';
  try {
    const tokens = md.parse(markdown, {});
    // At its nesting limit markdown-it drops the rest of the input: show such a message as plain text instead.
    if (tokens.some((token) => token.level >= MAX_NESTING - 1)) return escapeText(markdown).trim();
    const lines = renderBlocks(buildTree(tokens), 0, true);
    return lines
      .map((line) => line.text)
      .join('\n')
      .trim();
  } catch {
    return escapeText(markdown).trim();
  }
}

function renderBlocks(nodes: BlockNode[], listDepth: number, blankBetween: boolean): Line[] {
  const out: Line[] = [];
  for (const node of nodes) {
    const lines = renderBlock(node, listDepth);
    if (lines.length === 0) continue;
    if (blankBetween && out.length > 0) out.push({ text: '', verbatim: false });
    out.push(...lines);
  }
  return out;
}

function renderBlock(node: BlockNode, listDepth: number): Line[] {
  const { token } = node;
  switch (token.type) {
    case 'paragraph_open':
      return textLines(renderInline(inlineChildren(node), false));
    case 'heading_open': {
      const heading = renderInline(inlineChildren(node), true).trim();
      return heading ? [{ text: `*${heading}*`, verbatim: false }] : [];
    }
    case 'blockquote_open':
      return renderBlocks(node.children, listDepth, true).map((line) => ({
        text: line.text ? `> ${line.text}` : '>',
        verbatim: line.verbatim,
      }));
    case 'bullet_list_open':
    case 'ordered_list_open':
      return renderList(node, listDepth);
    case 'fence':
    case 'code_block':
      return codeLines(token.content.replace(/\n$/, '').split('\n'));
    case 'hr':
      return [{ text: RULE, verbatim: false }];
    case 'table_open':
      return codeLines(tableRows(node));
    case 'inline':
      return textLines(renderInline(token.children ?? [], false));
    default:
      if (node.children.length > 0) return renderBlocks(node.children, listDepth, true);
      return token.content ? textLines(escapeText(token.content)) : [];
  }
}

function renderList(node: BlockNode, listDepth: number): Line[] {
  const ordered = node.token.type === 'ordered_list_open';
  const start = Number(node.token.attrGet('start') ?? 1);
  const bullet = BULLETS[Math.min(listDepth, BULLETS.length - 1)];
  const out: Line[] = [];
  node.children.forEach((item, index) => {
    const marker = ordered ? `${(Number.isFinite(start) ? start : 1) + index}.` : bullet;
    const [first, ...rest] = renderBlocks(item.children, listDepth + 1, false);
    out.push({ text: first ? `${marker} ${first.text}` : marker, verbatim: false });
    for (const line of rest) {
      out.push(line.verbatim || line.text === '' ? line : { text: LIST_INDENT + line.text, verbatim: false });
    }
  });
  return out;
}

function textLines(text: string): Line[] {
  return text.trim() === '' ? [] : text.split('\n').map((line) => ({ text: line, verbatim: false }));
}

/** A ``` block; the content is escaped for & < > only, and a ``` inside it cannot close the block early. */
function codeLines(rows: string[]): Line[] {
  if (rows.every((row) => row.trim() === '')) return [];
  const body = rows.map((row) => ({ text: escapeText(row), verbatim: true }));
  return [{ text: '```', verbatim: true }, ...body, { text: '```', verbatim: true }];
}

function renderInline(tokens: Token[], inHeading: boolean): string {
  let out = '';
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    switch (token.type) {
      case 'text':
        out += escapeText(token.content);
        break;
      case 'code_inline':
        out += token.content ? `\`${escapeSlackText(token.content.replace(/`/g, 'ˋ'))}\`` : '';
        break;
      case 'strong_open':
      case 'strong_close':
        out += inHeading ? '' : '*';
        break;
      case 'em_open':
      case 'em_close':
        out += '_';
        break;
      case 's_open':
      case 's_close':
        out += '~';
        break;
      case 'softbreak':
      case 'hardbreak':
        out += inHeading ? ' ' : '\n';
        break;
      case 'link_open': {
        const end = closingLink(tokens, i);
        out += renderLink(token, tokens.slice(i + 1, end), inHeading);
        i = end;
        break;
      }
      case 'image':
        out += renderImage(token);
        break;
      default:
        out += escapeText(token.content);
    }
  }
  return out;
}

function closingLink(tokens: Token[], open: number): number {
  let depth = 0;
  for (let i = open; i < tokens.length; i++) {
    if (tokens[i].type === 'link_open') depth++;
    if (tokens[i].type === 'link_close' && --depth === 0) return i;
  }
  return tokens.length;
}

function renderLink(open: Token, label: Token[], inHeading: boolean): string {
  const href = String(open.attrGet('href') ?? '');
  const text = plainText(label);
  if (!LINKABLE.test(href)) {
    const shown = renderInline(label, inHeading);
    const target = md.normalizeLinkText(href);
    return href && target !== text ? `${shown} (${escapeText(target)})` : shown;
  }
  const url = slackUrl(href);
  const bare = open.markup === 'autolink' || open.markup === 'linkify';
  if (!text || text === href || (bare && !href.toLowerCase().startsWith('mailto:'))) return `<${url}>`;
  return labelledLink(url, text, href);
}

function renderImage(token: Token): string {
  const src = String(token.attrGet('src') ?? '');
  const alt = plainText(token.children ?? []) || token.content;
  if (!LINKABLE.test(src)) return escapeText(alt);
  return alt ? labelledLink(slackUrl(src), alt, src) : `<${slackUrl(src)}>`;
}

/** `<url|label>`; a label that names another address is shown as text, followed by the link itself. */
function labelledLink(url: string, label: string, href: string): string {
  if (labelMisleads(label, href)) return `${escapeText(label)} (<${url}>)`;
  return `<${url}|${escapeText(label)}>`;
}

/** A URL that cannot end the Slack link early: markdown-it has percent-encoded it, this makes sure. */
function slackUrl(href: string): string {
  return href.replace(/[<>|\s]/g, (c) => encodeURIComponent(c)).replace(/&/g, '&amp;');
}

/** & < > escaped, and no run of three backticks left to open or close a Slack code block. */
function escapeText(text: string): string {
  return escapeSlackText(text).replace(/``(?=`)/g, '``\u200b');
}
