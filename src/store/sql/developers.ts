// Developers in SQL.
import type { DeveloperSpec, DeveloperStatus } from '../../model/developer.ts';
import type { DeveloperRecord, DeveloperRepository, PageRequest } from '../store.ts';
import type { DevelopersTable } from '../tables.ts';
import { decodeCursor, num, parseJson, rethrowUnique, toPage, type Db } from './shared.ts';

function toDeveloper(row: DevelopersTable): DeveloperRecord {
  return {
    id: row.id,
    email: row.email,
    spec: parseJson<DeveloperSpec>(row.spec),
    status: row.status as DeveloperStatus,
    userId: row.user_id,
    version: num(row.version),
    createdAt: num(row.created_at),
    updatedAt: num(row.updated_at),
  };
}

export class SqlDevelopers implements DeveloperRepository {
  readonly #db: Db;
  constructor(db: Db) {
    this.#db = db;
  }

  async insert(developer: DeveloperRecord): Promise<void> {
    try {
      await this.#db
        .insertInto('developers')
        .values({
          id: developer.id,
          email: developer.email,
          spec: JSON.stringify(developer.spec),
          status: developer.status,
          user_id: developer.userId,
          version: developer.version,
          created_at: developer.createdAt,
          updated_at: developer.updatedAt,
        })
        .execute();
    } catch (error) {
      rethrowUnique(error, 'developers.email');
    }
  }

  async getByEmail(email: string): Promise<DeveloperRecord | undefined> {
    const row = await this.#db.selectFrom('developers').selectAll().where('email', '=', email).executeTakeFirst();
    return row && toDeveloper(row);
  }

  async getById(id: string): Promise<DeveloperRecord | undefined> {
    const row = await this.#db.selectFrom('developers').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toDeveloper(row);
  }

  async getByUserId(userId: string): Promise<DeveloperRecord | undefined> {
    const row = await this.#db.selectFrom('developers').selectAll().where('user_id', '=', userId).executeTakeFirst();
    return row && toDeveloper(row);
  }

  async list(page: PageRequest) {
    const after = decodeCursor<string>(page.cursor, 'string');
    let query = this.#db.selectFrom('developers').selectAll().orderBy('email').limit(page.limit + 1);
    if (after !== undefined) query = query.where('email', '>', after);
    return toPage(await query.execute(), page.limit, toDeveloper, (r) => r.email);
  }

  async update(developer: DeveloperRecord, expectedVersion: number): Promise<boolean> {
    const result = await this.#db
      .updateTable('developers')
      .set({
        spec: JSON.stringify(developer.spec),
        status: developer.status,
        user_id: developer.userId,
        version: developer.version,
        updated_at: developer.updatedAt,
      })
      .where('id', '=', developer.id)
      .where('version', '=', expectedVersion)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  async delete(id: string): Promise<boolean> {
    const result = await this.#db.deleteFrom('developers').where('id', '=', id).executeTakeFirst();
    return Number(result.numDeletedRows) === 1;
  }
}
