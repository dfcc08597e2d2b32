/**
 * The configuration table of docs/configuration.md, drawn from the configuration schema: each variable's default
 * (what the schema gives when it is unset) and meaning (its `.describe()`). `npm run docs:config` rewrites the table
 * between its markers; a test fails when the page and the schema differ.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONFIG_SCHEMA } from '../src/config/config-schema';

export const CONFIG_PAGE = join(__dirname, '..', 'docs', 'configuration.md');
const START = '<!-- configuration table: drawn from src/config by `npm run docs:config`; do not edit by hand -->';
const END = '<!-- end of configuration table -->';

/** What a variable is when unset: a `default` given in its metadata, `required`, `unset`, or the value it takes. */
function defaultText(field: (typeof CONFIG_SCHEMA.shape)[keyof typeof CONFIG_SCHEMA.shape]): string {
  const stated = field.meta()?.default;
  if (typeof stated === 'string') return stated;
  const parsed = field.safeParse(undefined);
  if (!parsed.success) return 'required';
  if (parsed.data === undefined) return 'unset';
  const value = Array.isArray(parsed.data) ? parsed.data.join(',') : String(parsed.data);
  return `\`${value}\``;
}

/** The table's lines, one row per variable in the schema's order, columns padded to line up. */
export function configTable(): string[] {
  const rows = Object.entries(CONFIG_SCHEMA.shape).map(([name, field]) => [
    `\`${name}\``,
    defaultText(field),
    (field.description ?? '').replaceAll('|', '\\|'),
  ]);
  const header = ['variable', 'default', 'meaning'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  return [line(header), `| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`, ...rows.map(line)];
}

/** The page with its table replaced by the schema's. */
export function renderConfigPage(page: string): string {
  const start = page.indexOf(START);
  const end = page.indexOf(END);
  if (start < 0 || end < start) throw new Error(`${CONFIG_PAGE} has lost the configuration table's markers`);
  return `${page.slice(0, start)}${[START, '', ...configTable(), '', END].join('\n')}${page.slice(end + END.length)}`;
}

if (require.main === module) {
  const page = readFileSync(CONFIG_PAGE, 'utf8');
  const next = renderConfigPage(page);
  if (next !== page) writeFileSync(CONFIG_PAGE, next);
  console.log(next === page ? `${CONFIG_PAGE} is up to date` : `${CONFIG_PAGE} rewritten from the schema`);
}
