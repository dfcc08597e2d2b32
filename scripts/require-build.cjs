// Runs before `npm start` and `npm run doctor`: one clear sentence instead of a stack trace when dist/ was never built.
// The argument names the built file the script needs (default index.js).
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const file = process.argv[2] ?? 'index.js';
if (!existsSync(join(__dirname, '..', 'dist', file))) {
  process.stderr.write(`devin-slack is not built (no dist/${file}): run \`npm run build\` first.\n`);
  process.exit(1);
}
