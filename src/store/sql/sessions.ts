// Sign-in sessions (console and hub) over Kysely.
import type { SessionRecord, SessionRepository, SessionSurface } from '../store.ts';
import type { SessionsTable } from '../tables.ts';
import { num, type Db } from './shared.ts';

function toSession(row: SessionsTable): SessionRecord {
  return {
    id: row.id,
    userId: row.user_id,
    tokenHash: row.token_hash,
    surface: row.surface as SessionSurface,
    tokenId: row.token_id,
    createdAt: num(row.created_at),
    expiresAt: num(row.expires_at),
  };
}

export class SqlSessions implements SessionRepository {
  readonly #db: Db;
  constructor(db: Db) {
    this.#db = db;
  }

  async insert(session: SessionRecord): Promise<void> {
    await this.#db
      .insertInto('sessions')
      .values({
        id: session.id,
        token_hash: session.tokenHash,
        user_id: session.userId,
        surface: session.surface,
        token_id: session.tokenId,
        created_at: session.createdAt,
        expires_at: session.expiresAt,
      })
      .execute();
  }

  async getByHash(tokenHash: string): Promise<SessionRecord | undefined> {
    const row = await this.#db.selectFrom('sessions').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
    return row && toSession(row);
  }

  async deleteByHash(tokenHash: string): Promise<boolean> {
    const result = await this.#db.deleteFrom('sessions').where('token_hash', '=', tokenHash).executeTakeFirst();
    return Number(result.numDeletedRows) === 1;
  }

  async deleteForUser(userId: string): Promise<number> {
    const result = await this.#db.deleteFrom('sessions').where('user_id', '=', userId).executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  async deleteExpired(before: number): Promise<number> {
    const result = await this.#db.deleteFrom('sessions').where('expires_at', '<', before).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
