import { type CheckResult, failed, passed } from '../../lib/check-result';
import { SqliteDb, sqliteLockPath } from '../../store/sqlite/sqlite-db';
import { KV_TABLE } from '../../store/sqlite/sqlite-store';

/**
 * The SQLite store of a running app (it holds the file's lock): read beside it, without the lock and writing nothing,
 * as SQLite's own tools may. Healthy when SQLite's `quick_check` finds nothing wrong; says how much it holds.
 */
export function checkBesideRunningApp(name: string, path: string, where: string): CheckResult {
  let db: SqliteDb | undefined;
  try {
    db = SqliteDb.openReadOnly(path);
    const problems = db.all<{ quick_check: string }>('PRAGMA quick_check').map((row) => row.quick_check);
    const tables = new Set(
      db.all<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table'").map((t) => t.name),
    );
    const count = (table: string) =>
      tables.has(table) ? (db?.all<{ n: number }>(`SELECT count(*) AS n FROM ${table}`)[0]?.n ?? 0) : 0;
    const running = `${where} is in use by a running devin-slack (it holds ${sqliteLockPath(path)})`;
    if (problems.join() !== 'ok') {
      return failed(
        name,
        `${running}, and SQLite's quick_check found problems: ${problems.slice(0, 3).join('; ')}`,
        'stop the app, keep a copy of the file, and restore the last backup',
      );
    }
    const values = count(KV_TABLE);
    const replies = count('replies');
    return passed(
      name,
      `${running}; read beside it without the lock: healthy (quick_check ok, ${values} values, ` +
        `${replies} ${replies === 1 ? 'reply' : 'replies'} waiting for Devin)`,
    );
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return failed(
      name,
      `${where} is in use by a running devin-slack, and could not be read beside it: ${reason}`,
      "run the doctor as the app's user, with read access to the file and its -wal and -shm files",
    );
  } finally {
    db?.close();
  }
}
