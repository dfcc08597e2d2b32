import type { SortedIndex } from '../../relay/ports/store';
import type { SqlDb } from './sqlite-db';

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
    this.db.run(
      'INSERT INTO sorted_index (name, member, score) VALUES (?, ?, ?) ON CONFLICT DO UPDATE SET score = excluded.score',
      [this.name, member, score],
    );
  }

  async lower(member: string, score: number): Promise<void> {
    this.db.run(
      `INSERT INTO sorted_index (name, member, score) VALUES (?, ?, ?)
       ON CONFLICT DO UPDATE SET score = min(score, excluded.score)`,
      [this.name, member, score],
    );
  }

  async replace(member: string, expected: number, score: number): Promise<void> {
    this.db.run(
      `INSERT INTO sorted_index (name, member, score) VALUES (?, ?, ?)
       ON CONFLICT DO UPDATE SET score = CASE WHEN score = ? THEN excluded.score ELSE min(score, excluded.score) END`,
      [this.name, member, score, expected],
    );
  }

  async remove(member: string): Promise<void> {
    this.db.run('DELETE FROM sorted_index WHERE name = ? AND member = ?', [this.name, member]);
  }

  async score(member: string): Promise<number | undefined> {
    const rows = this.db.all<{ score: number }>('SELECT score FROM sorted_index WHERE name = ? AND member = ?', [
      this.name,
      member,
    ]);
    return rows[0]?.score;
  }

  async upTo(max: number, limit: number): Promise<Array<{ member: string; score: number }>> {
    return this.db.all(
      'SELECT member, score FROM sorted_index WHERE name = ? AND score <= ? ORDER BY score, member LIMIT ?',
      [this.name, max, limit],
    );
  }

  async size(): Promise<number> {
    const rows = this.db.all<{ n: number }>('SELECT count(*) AS n FROM sorted_index WHERE name = ?', [this.name]);
    return rows[0]?.n ?? 0;
  }
}
