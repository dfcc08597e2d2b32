import { randomUUID } from 'node:crypto';
import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { describeStore, storePassword } from '../../config/store-url';
import { bounded } from '../../lib/bounded';
import { type CheckResult, failed, passed } from '../../lib/check-result';
import { networkReason, seconds, unreachable } from '../../lib/network-reason';
import { doctorProbeKey } from '../../relay/ports/store-keys';
import { createStore, type Store } from '../../store/create-store';
import { SqliteFileInUse } from '../../store/sqlite/sqlite-db';
import { checkBesideRunningApp } from './sqlite-beside-app';

export const STORE_CHECK = 'Store';

const PATH_FIX = "set STORE_URL=sqlite://<path> to a file in a folder the app's user may write, or fix the folder";

/**
 * The store opens, and a write, a read and a delete work (a claim too, with a short TTL so that an interrupted check
 * leaves nothing lasting). For SQLite, first that the file's folder can be written; a file a running app holds is read
 * beside it instead (see `checkBesideRunningApp`). Redis is shared by design: checked the same beside a running app.
 */
export async function checkStore(storeUrl: string, deadlineMs: number): Promise<CheckResult> {
  const where = describeStore(storeUrl);
  if (storeUrl.startsWith('sqlite://')) {
    const problem = sqlitePathProblem(storeUrl.slice('sqlite://'.length));
    if (problem) return failed(STORE_CHECK, `${where}: ${problem}`, PATH_FIX);
  }
  // A round trip still running at the deadline closes the store itself once it ends.
  return bounded(deadlineMs, roundTrip(createStore(storeUrl), where, storeUrl, deadlineMs), () =>
    failed(STORE_CHECK, `${where}: no answer within ${seconds(deadlineMs)}`, storeFix(storeUrl)),
  );
}

async function roundTrip(
  opening: Promise<Store>,
  where: string,
  storeUrl: string,
  deadlineMs: number,
): Promise<CheckResult> {
  let store: Store;
  try {
    store = await opening;
  } catch (error) {
    return openProblem(error, where, storeUrl, deadlineMs);
  }
  const key = doctorProbeKey(randomUUID());
  const value = { checkedAt: Date.now() };
  try {
    await store.set(key, value);
    const read = await store.get<typeof value>(key);
    await store.delete(key);
    const gone = await store.get(key);
    const claimed = await store.claim(key, 'doctor', 30_000);
    await store.release(key, 'doctor');
    if (read?.checkedAt !== value.checkedAt) return failed(STORE_CHECK, `${where}: read back something else`);
    if (gone !== undefined) return failed(STORE_CHECK, `${where}: a deleted value was still there`);
    if (!claimed) return failed(STORE_CHECK, `${where}: a claim on a fresh key was refused`);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return failed(STORE_CHECK, `${where}: ${withoutPassword(reason, storeUrl)}`, storeFix(storeUrl));
  } finally {
    await store.close().catch(() => undefined);
  }
  const opened = storeUrl.startsWith('sqlite://')
    ? 'opened (its folder is writable and no other process holds the file)'
    : storeUrl === 'memory://'
      ? 'opened (memory only: nothing is kept when the process stops)'
      : 'connected';
  return passed(STORE_CHECK, `${where} ${opened}; a write, a read and a delete worked`);
}

function openProblem(error: unknown, where: string, storeUrl: string, deadlineMs: number): CheckResult {
  if (error instanceof SqliteFileInUse) {
    return checkBesideRunningApp(STORE_CHECK, storeUrl.slice('sqlite://'.length), where);
  }
  if (storeUrl.startsWith('redis')) {
    return failed(STORE_CHECK, unreachable(where, networkReason(error, deadlineMs)), storeFix(storeUrl));
  }
  const reason = error instanceof Error ? error.message : String(error);
  return failed(STORE_CHECK, `${where}: ${withoutPassword(reason, storeUrl)}`, storeFix(storeUrl));
}

/** Why the app could not create or write the SQLite file at `path`, as it would at start; undefined when it could. */
export function sqlitePathProblem(path: string): string | undefined {
  const file = resolve(path);
  const folder = dirname(file);
  let existing = folder;
  while (!existsSync(existing) && dirname(existing) !== existing) existing = dirname(existing);
  if (!statSync(existing).isDirectory()) {
    return existing === folder
      ? `${folder} is a file, not a folder`
      : `the folder ${folder} cannot be created: ${existing} is a file`;
  }
  if (!writable(existing)) {
    return existing === folder
      ? `the folder ${folder} is not writable by this user`
      : `the folder ${folder} cannot be created: ${existing} is not writable by this user`;
  }
  if (existsSync(file)) {
    if (statSync(file).isDirectory()) return `${file} is a folder, not a SQLite file`;
    if (!writable(file)) return `${file} is not writable by this user`;
  }
  return undefined;
}

function writable(path: string): boolean {
  try {
    accessSync(path, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

function storeFix(storeUrl: string): string {
  if (storeUrl.startsWith('redis')) return 'check STORE_URL and that Redis is running and reachable';
  if (storeUrl.startsWith('sqlite://')) return PATH_FIX;
  return 'check STORE_URL';
}

function withoutPassword(text: string, storeUrl: string): string {
  const password = storePassword(storeUrl);
  return password ? text.split(password).join('***') : text;
}
