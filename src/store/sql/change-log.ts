// The change log in SQL: appended by every node, read by id from where each node last stood, swept by age.
import type { ChangeLogRecord, ChangeLogRepository } from '../store.ts';
import type { ChangeLogTable } from '../tables.ts';
import { num, type Db } from './shared.ts';

function toRecord(row: ChangeLogTable): ChangeLogRecord {
  return { id: num(row.id), at: num(row.at), kind: row.kind, name: row.name, origin: row.origin };
}

export class SqlChangeLog implements ChangeLogRepository {
  readonly #db: Db;
  constructor(db: Db) {
    this.#db = db;
  }

  async append(entry: Omit<ChangeLogRecord, 'id'>): Promise<number> {
    const row = await this.#db
      .insertInto('change_log')
      .values({ at: entry.at, kind: entry.kind, name: entry.name, origin: entry.origin } as ChangeLogTable)
      .returning('id')
      .executeTakeFirstOrThrow();
    return num(row.id);
  }

  async listAfter(afterId: number, limit: number): Promise<ChangeLogRecord[]> {
    const rows = await this.#db.selectFrom('change_log').selectAll().where('id', '>', afterId).orderBy('id').limit(limit).execute();
    return rows.map(toRecord);
  }

  async listByIds(ids: readonly number[]): Promise<ChangeLogRecord[]> {
    if (ids.length === 0) return [];
    const rows = await this.#db.selectFrom('change_log').selectAll().where('id', 'in', [...ids]).orderBy('id').execute();
    return rows.map(toRecord);
  }

  async lastId(): Promise<number> {
    const row = await this.#db
      .selectFrom('change_log')
      .select((eb) => eb.fn.max('id').as('last'))
      .executeTakeFirst();
    return row?.last === null || row?.last === undefined ? 0 : num(row.last);
  }

  async deleteBefore(before: number): Promise<number> {
    // The newest row stays, whatever its age: a node starting later reads where the log stands from it.
    const result = await this.#db
      .deleteFrom('change_log')
      .where('at', '<', before)
      .where('id', '<', (eb) => eb.selectFrom('change_log').select((sub) => sub.fn.max('id').as('newest')))
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
