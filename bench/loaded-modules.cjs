// Preloaded by bench/startup.ts (`node -r`): when the process exits, writes the files it loaded through require()
// to the path in BENCH_LOADED_MODULES, one per line.
const { writeFileSync } = require('node:fs');

const out = process.env.BENCH_LOADED_MODULES;
if (out) process.on('exit', () => writeFileSync(out, Object.keys(require.cache).join('\n')));
