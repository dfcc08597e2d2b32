/**
 * Compares two heap snapshots (as `npm run bench -- --soak N --heap-snapshots-at ...` writes them) by constructor:
 * what grew between them in count, self size and retained size, largest growth first.
 * Usage: `npx tsx bench/heap-diff.ts before.heapsnapshot after.heapsnapshot [--top 30] [--by retained|self|count]`.
 */
import { parseArgs } from 'node:util';
import { type ConstructorTotals, totalsByConstructor } from './heap-snapshot-graph';

const { values: flags, positionals } = parseArgs({
  allowPositionals: true,
  options: { top: { type: 'string', default: '30' }, by: { type: 'string', default: 'retained' } },
});

const [beforeFile, afterFile] = positionals;
if (!beforeFile || !afterFile) {
  console.error(
    'Usage: npx tsx bench/heap-diff.ts before.heapsnapshot after.heapsnapshot [--top 30] [--by retained|self|count]',
  );
  process.exit(2);
}
const key = { retained: 'retainedSize', self: 'selfSize', count: 'count' }[flags.by] as
  | keyof ConstructorTotals
  | undefined;
if (!key) {
  console.error(`--by must be retained, self or count, not ${flags.by}`);
  process.exit(2);
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} kB`;
const signed = (value: number, format: (v: number) => string) => `${value >= 0 ? '+' : '-'}${format(Math.abs(value))}`;

const before = totalsByConstructor(beforeFile);
const after = totalsByConstructor(afterFile);
const zero: ConstructorTotals = { count: 0, selfSize: 0, retainedSize: 0 };
const rows = [...new Set([...before.keys(), ...after.keys()])].map((name) => {
  const b = before.get(name) ?? zero;
  const a = after.get(name) ?? zero;
  return {
    name,
    after: a,
    count: a.count - b.count,
    selfSize: a.selfSize - b.selfSize,
    retainedSize: a.retainedSize - b.retainedSize,
  };
});
const sum = (totals: Map<string, ConstructorTotals>) => [...totals.values()].reduce((s, t) => s + t.selfSize, 0);
console.log(
  `heap: ${kb(sum(before))} -> ${kb(sum(after))} (${signed(sum(after) - sum(before), kb)}), by ${flags.by} growth`,
);
console.log('| constructor | count (+growth) | self size (+growth) | retained size (+growth) |');
console.log('| ----------- | --------------- | ------------------- | ----------------------- |');
for (const row of rows.sort((x, y) => y[key] - x[key]).slice(0, Number(flags.top))) {
  console.log(
    `| ${row.name.slice(0, 60)} | ${row.after.count} (${signed(row.count, String)}) | ` +
      `${kb(row.after.selfSize)} (${signed(row.selfSize, kb)}) | ${kb(row.after.retainedSize)} (${signed(row.retainedSize, kb)}) |`,
  );
}
