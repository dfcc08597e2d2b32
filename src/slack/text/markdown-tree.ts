import type { Token } from 'markdown-it';

/** A block of Devin's Markdown with the blocks it holds (lists, quotes, tables). */
export interface BlockNode {
  token: Token;
  children: BlockNode[];
}

/** The parsed tokens as a tree of blocks. */
export function buildTree(tokens: Token[]): BlockNode[] {
  const root: BlockNode[] = [];
  const stack: BlockNode[][] = [root];
  for (const token of tokens) {
    const siblings = stack[stack.length - 1] ?? root;
    if (token.nesting === -1) {
      if (stack.length > 1) stack.pop();
      continue;
    }
    const node: BlockNode = { token, children: [] };
    siblings.push(node);
    if (token.nesting === 1) stack.push(node.children);
  }
  return root;
}

/** A block's inline tokens. */
export function inlineChildren(node: BlockNode): Token[] {
  return node.children.find((child) => child.token.type === 'inline')?.token.children ?? [];
}

/** The words of inline tokens, without their markup (links and images by their labels). */
export function plainText(tokens: Token[]): string {
  let out = '';
  for (const token of tokens) {
    if (token.type === 'softbreak' || token.type === 'hardbreak') out += ' ';
    else if (token.type === 'image') out += plainText(token.children ?? []) || token.content;
    else out += token.content;
  }
  return out.trim();
}

/** A table as aligned plain rows, to be shown in a code block. */
export function tableRows(table: BlockNode): string[] {
  const rows: string[][] = [];
  let headerRows = 0;
  for (const section of table.children) {
    for (const row of section.children) {
      rows.push(row.children.map((cell) => plainText(inlineChildren(cell))));
      if (section.token.type === 'thead_open') headerRows++;
    }
  }
  const widths: number[] = [];
  for (const row of rows) {
    row.forEach((cell, i) => {
      widths[i] = Math.max(widths[i] ?? 0, cell.length);
    });
  }
  const format = (cells: string[]) => `| ${widths.map((w, i) => (cells[i] ?? '').padEnd(w)).join(' | ')} |`;
  const lines = rows.map(format);
  if (headerRows > 0) lines.splice(headerRows, 0, `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  return lines;
}
