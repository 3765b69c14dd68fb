// Users and their personal access tokens in SQL.
import type { PersonalTokenRecord, PersonalTokenRepository, UserRecord, UserRepository, PageRequest } from '../store.ts';
import type { UsersTable, PersonalTokensTable } from '../tables.ts';
import type { Role, UserStatus } from '../../model/user.ts';
import { decodeCursor, num, numOrNull, parseJson, rethrowUnique, toPage, type Db } from './shared.ts';

function toUser(row: UsersTable): UserRecord {
  return {
    id: row.id,
    email: row.email,
    displayName: row.display_name,
    passwordHash: row.password_hash,
    roles: parseJson<Role[]>(row.roles),
    status: row.status as UserStatus,
    version: num(row.version),
    createdAt: num(row.created_at),
    updatedAt: num(row.updated_at),
  };
}

function fromUser(user: UserRecord): UsersTable {
  return {
    id: user.id,
    email: user.email,
    display_name: user.displayName,
    password_hash: user.passwordHash,
    roles: JSON.stringify(user.roles),
    status: user.status,
    version: user.version,
    created_at: user.createdAt,
    updated_at: user.updatedAt,
  };
}

export class SqlUsers implements UserRepository {
  readonly #db: Db;
  constructor(db: Db) {
    this.#db = db;
  }

  async insert(user: UserRecord): Promise<void> {
    try {
      await this.#db.insertInto('users').values(fromUser(user)).execute();
    } catch (error) {
      rethrowUnique(error, 'users.email');
    }
  }

  async getByEmail(email: string): Promise<UserRecord | undefined> {
    const row = await this.#db.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirst();
    return row && toUser(row);
  }

  async getById(id: string): Promise<UserRecord | undefined> {
    const row = await this.#db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toUser(row);
  }

  async list(page: PageRequest) {
    const after = decodeCursor<string>(page.cursor, 'string');
    let query = this.#db.selectFrom('users').selectAll().orderBy('email').limit(page.limit + 1);
    if (after !== undefined) query = query.where('email', '>', after);
    return toPage(await query.execute(), page.limit, toUser, (r) => r.email);
  }

  async update(user: UserRecord, expectedVersion: number): Promise<boolean> {
    const { id: _id, created_at: _created, ...changes } = fromUser(user);
    const result = await this.#db
      .updateTable('users')
      .set(changes)
      .where('id', '=', user.id)
      .where('version', '=', expectedVersion)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  async delete(id: string): Promise<boolean> {
    const result = await this.#db.deleteFrom('users').where('id', '=', id).executeTakeFirst();
    return Number(result.numDeletedRows) === 1;
  }

  async countActiveAdmins(): Promise<number> {
    const rows = await this.#db.selectFrom('users').select('roles').where('status', '=', 'active').execute();
    return rows.filter((r) => parseJson<string[]>(r.roles).includes('admin')).length;
  }
}

function toToken(row: PersonalTokensTable): PersonalTokenRecord {
  return {
    id: row.id,
    userId: row.user_id,
    name: row.name,
    tokenHash: row.token_hash,
    createdAt: num(row.created_at),
    expiresAt: numOrNull(row.expires_at),
  };
}

export class SqlPersonalTokens implements PersonalTokenRepository {
  readonly #db: Db;
  constructor(db: Db) {
    this.#db = db;
  }

  async insert(token: PersonalTokenRecord): Promise<void> {
    await this.#insert(token).catch((error: unknown) => rethrowUnique(error, 'personal_tokens.token_hash'));
  }

  #insert(token: PersonalTokenRecord) {
    return this.#db
      .insertInto('personal_tokens')
      .values({
        id: token.id,
        user_id: token.userId,
        name: token.name,
        token_hash: token.tokenHash,
        created_at: token.createdAt,
        expires_at: token.expiresAt,
      })
      .execute();
  }

  async getByHash(tokenHash: string): Promise<PersonalTokenRecord | undefined> {
    const row = await this.#db.selectFrom('personal_tokens').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
    return row && toToken(row);
  }

  async listForUser(userId: string): Promise<PersonalTokenRecord[]> {
    const rows = await this.#db.selectFrom('personal_tokens').selectAll().where('user_id', '=', userId).orderBy('created_at').orderBy('id').execute();
    return rows.map(toToken);
  }

  async delete(userId: string, id: string): Promise<boolean> {
    const result = await this.#db.deleteFrom('personal_tokens').where('user_id', '=', userId).where('id', '=', id).executeTakeFirst();
    return Number(result.numDeletedRows) === 1;
  }

  async deleteByName(userId: string, name: string): Promise<number> {
    const result = await this.#db.deleteFrom('personal_tokens').where('user_id', '=', userId).where('name', '=', name).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
