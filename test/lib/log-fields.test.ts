import { join } from 'node:path';
import ts from 'typescript';

/**
 * Every structured log line in `src/` names its fields one way: snake_case, and one name per concept. The fields are
 * read by the type checker from each call to a pino method (`log.info({ ... }, msg)`, `log.child({ ... })`), spreads
 * and helpers included, so a new line that writes `sessionId` or `channel` fails here before it reaches a dashboard.
 */

const ROOT = join(__dirname, '..', '..');
const LEVELS = new Set(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'child']);
const SNAKE_CASE = /^[a-z][a-z0-9]*(_[a-z0-9]+)*$/;
/** The one name of each concept, and the names it must not go by. */
const CONCEPTS: Record<string, string[]> = {
  session_id: ['session', 'devin_session', 'devin_session_id'],
  reply_id: ['reply'],
  team_id: ['team', 'workspace', 'workspace_id'],
  channel_id: ['channel'],
  thread_ts: ['thread', 'thread_id', 'root_ts'],
  message_ts: ['ts', 'message'],
  user_id: ['user', 'slack_user_id', 'person', 'started_by'],
  event_id: ['event'],
  start_id: ['start'],
};
const ALIASES = new Map(Object.entries(CONCEPTS).flatMap(([name, aliases]) => aliases.map((a) => [a, name] as const)));

interface LogCall {
  where: string;
  fields: string[];
  /** The fields could not all be named (an index signature, `any`). */
  open: boolean;
}

function logCalls(): LogCall[] {
  const parsed = ts.getParsedCommandLineOfConfigFile(
    join(ROOT, 'tsconfig.json'),
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => {
        throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
      },
    },
  );
  if (!parsed) throw new Error('tsconfig.json could not be read');
  const sources = parsed.fileNames.filter((file) => file.startsWith(join(ROOT, 'src')));
  const program = ts.createProgram(sources, { ...parsed.options, noEmit: true });
  const checker = program.getTypeChecker();
  const calls: LogCall[] = [];
  for (const file of program.getSourceFiles()) {
    if (!file.fileName.startsWith(join(ROOT, 'src'))) continue;
    const visit = (node: ts.Node): void => {
      if (
        ts.isCallExpression(node) &&
        ts.isPropertyAccessExpression(node.expression) &&
        LEVELS.has(node.expression.name.text) &&
        node.arguments[0] &&
        /[/\\]pino[/\\]/.test(checker.getResolvedSignature(node)?.declaration?.getSourceFile().fileName ?? '')
      ) {
        const type = checker.getTypeAtLocation(node.arguments[0]);
        if (!(type.flags & ts.TypeFlags.StringLike)) {
          const parts = type.isUnion() ? type.types : [type];
          const line = file.getLineAndCharacterOfPosition(node.getStart()).line + 1;
          calls.push({
            where: `${file.fileName.slice(ROOT.length + 1)}:${line}`,
            fields: [...new Set(parts.flatMap((part) => checker.getPropertiesOfType(part).map((p) => p.name)))],
            open: parts.some(
              (part) => (part.flags & ts.TypeFlags.Any) !== 0 || checker.getIndexInfosOfType(part).length > 0,
            ),
          });
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(file);
  }
  return calls;
}

describe('log field names', () => {
  const calls = logCalls();

  it('finds the structured log lines of the source', () => {
    // A checker that found none (pino's types moved, the source moved) would pass everything.
    expect(calls.length).toBeGreaterThan(60);
    expect(calls.some((call) => call.fields.includes('session_id'))).toBe(true);
  });

  it('writes every field in snake_case', () => {
    const wrong = calls.flatMap((call) =>
      call.fields.filter((field) => !SNAKE_CASE.test(field)).map((field) => `${call.where}: ${field}`),
    );
    expect(wrong).toEqual([]);
  });

  it('gives each concept one name (session_id, reply_id, team_id, channel_id, thread_ts, user_id, ...)', () => {
    const wrong = calls.flatMap((call) =>
      call.fields
        .filter((field) => ALIASES.has(field))
        .map((field) => `${call.where}: ${field} (write ${ALIASES.get(field)})`),
    );
    expect(wrong).toEqual([]);
  });

  it('names every field of a line, so that the checks above see them all', () => {
    expect(calls.filter((call) => call.open).map((call) => call.where)).toEqual([]);
  });
});
