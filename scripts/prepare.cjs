// Runs at `npm install` / `npm ci`: builds dist/ when TypeScript is installed; a production install
// (`npm ci --omit=dev`) has no TypeScript, so it only checks that dist/ was built beforehand.
const { spawnSync } = require('node:child_process');
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..');
let tsc;
try {
  tsc = require.resolve('typescript/bin/tsc', { paths: [root] });
} catch {
  tsc = undefined;
}

if (tsc) {
  const result = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
  process.exit(result.status ?? 1);
}
if (!existsSync(join(root, 'dist', 'index.js'))) {
  process.stderr.write(
    'devin-slack: TypeScript is not installed and dist/ is not built; build it where dev dependencies are installed (npm ci && npm run build) and ship dist/ with the app.\n',
  );
}
