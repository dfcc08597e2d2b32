// Runs before `npm start`: one clear sentence instead of a stack trace when dist/ was never built.
const { existsSync } = require('node:fs');
const { join } = require('node:path');

if (!existsSync(join(__dirname, '..', 'dist', 'index.js'))) {
  process.stderr.write('devin-slack is not built (no dist/index.js): run `npm run build` first.\n');
  process.exit(1);
}
