import { readFileSync, writeFileSync } from 'node:fs';

/**
 * Expects the text between `<!-- <name>:start -->` and `<!-- <name>:end -->` (a `text` code block) of a Markdown file
 * to be `drawn`. With UPDATE_SKETCHES set, writes `drawn` there instead: `UPDATE_SKETCHES=1 npx jest test/docs`.
 */
export function expectSketchIn(file: string, name: string, drawn: string): void {
  const start = `<!-- ${name}:start -->\n\`\`\`text\n`;
  const end = `\`\`\`\n<!-- ${name}:end -->`;
  const text = readFileSync(file, 'utf8');
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  expect(from).toBeGreaterThan(-1);
  expect(to).toBeGreaterThan(from);
  if (process.env.UPDATE_SKETCHES) {
    writeFileSync(file, text.slice(0, from + start.length) + drawn + text.slice(to));
    return;
  }
  expect(text.slice(from + start.length, to)).toBe(drawn);
}
