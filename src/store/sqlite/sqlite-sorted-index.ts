import type { SortedIndex } from '../../relay/ports/store';
import type { SqlDb, SqlValue } from './sqlite-db';

export const SORTED_INDEX_SCHEMA = `
CREATE TABLE IF NOT EXISTS sorted_index (name TEXT NOT NULL, member TEXT NOT NULL, score REAL NOT NULL,
  PRIMARY KEY (name, member));
CREATE INDEX IF NOT EXISTS sorted_index_by_score ON sorted_index (name, score);
`;

/** A sorted index as rows of one table, read through its (name, score) index. */
export class SqliteSortedIndex implements SortedIndex {
  constructor(
    private readonly db: SqlDb,
    private readonly name: string,
  ) {}

  async put(member: string, score: number): Promise<void> {
    await this.write(
      'INSERT INTO sorted_index (name, member, score) VALUES (?, ?, ?) ON CONFLICT DO UPDATE SET score = excluded.score',
      [this.name, member, score],
    );
  }

  async lower(member: string, score: number): Promise<void> {
    await this.write(
      `INSERT INTO sorted_index (name, member, score) VALUES (?, ?, ?)
       ON CONFLICT DO UPDATE SET score = min(score, excluded.score)`,
      [this.name, member, score],
    );
  }

  async replace(member: string, expected: number, score: number): Promise<void> {
    await this.write(
      `INSERT INTO sorted_index (name, member, score) VALUES (?, ?, ?)
       ON CONFLICT DO UPDATE SET score = CASE WHEN score = ? THEN excluded.score ELSE min(score, excluded.score) END`,
      [this.name, member, score, expected],
    );
  }

  async remove(member: string): Promise<void> {
    await this.write('DELETE FROM sorted_index WHERE name = ? AND member = ?', [this.name, member]);
  }

  score(member: string): Promise<number | undefined> {
    return this.db.read(
      () =>
        this.db.all<{ score: number }>('SELECT score FROM sorted_index WHERE name = ? AND member = ?', [
          this.name,
          member,
        ])[0]?.score,
    );
  }

  upTo(max: number, limit: number): Promise<Array<{ member: string; score: number }>> {
    return this.db.read(() =>
      this.db.all<{ member: string; score: number }>(
        'SELECT member, score FROM sorted_index WHERE name = ? AND score <= ? ORDER BY score, member LIMIT ?',
        [this.name, max, limit],
      ),
    );
  }

  size(): Promise<number> {
    return this.db.read(
      () => this.db.all<{ n: number }>('SELECT count(*) AS n FROM sorted_index WHERE name = ?', [this.name])[0]?.n ?? 0,
    );
  }

  private write(sql: string, params: SqlValue[]): Promise<number> {
    return this.db.write(() => this.db.run(sql, params));
  }
}
