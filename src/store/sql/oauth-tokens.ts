// OAuth access tokens, refresh tokens and authorization codes in SQL; only hashes are stored.
import type { OAuthTokenKind, OAuthTokenRecord, OAuthTokenRepository } from '../store.ts';
import type { OAuthTokensTable } from '../tables.ts';
import { num, numOrNull, parseJson, rethrowUnique, type Db } from './shared.ts';
import type { TokenRowWriter } from './token-writer.ts';

function toToken(row: OAuthTokensTable): OAuthTokenRecord {
  return {
    id: row.id,
    kind: row.kind as OAuthTokenKind,
    tokenHash: row.token_hash,
    clientId: row.client_id,
    appId: row.app_id,
    developerId: row.developer_id,
    products: parseJson<string[]>(row.products),
    scope: row.scope,
    grantType: row.grant_type,
    endUser: row.end_user,
    issuedAt: num(row.issued_at),
    expiresAt: numOrNull(row.expires_at),
    revokedAt: numOrNull(row.revoked_at),
    familyId: row.family_id,
    attributes: parseJson<Record<string, string>>(row.attributes),
  };
}

function toRow(token: OAuthTokenRecord): OAuthTokensTable {
  return {
    id: token.id,
    kind: token.kind,
    token_hash: token.tokenHash,
    client_id: token.clientId,
    app_id: token.appId,
    developer_id: token.developerId,
    products: JSON.stringify(token.products),
    scope: token.scope,
    grant_type: token.grantType,
    end_user: token.endUser,
    issued_at: token.issuedAt,
    expires_at: token.expiresAt,
    revoked_at: token.revokedAt,
    family_id: token.familyId,
    attributes: JSON.stringify(token.attributes),
  };
}

/** At most this many rows in one grouped INSERT (15 parameters a row; SQLite allows 32,766). */
const MAX_GROUP = 500;

interface Waiting {
  readonly row: OAuthTokensTable;
  resolve(): void;
  reject(error: unknown): void;
}

export class SqlOAuthTokens implements OAuthTokenRepository {
  readonly #db: Db;
  readonly #group: boolean;
  readonly #writer: TokenRowWriter | undefined;
  #waiting: Waiting[] = [];

  /**
   * `group`: inserts that arrive in the same turn of the event loop are written by one multi-row INSERT, committed
   * once, and each caller's promise settles after that commit (group commit: as durable as one at a time). A token
   * endpoint under load writes far fewer WAL pages and makes one round trip instead of many. Never inside a
   * transaction, whose writes must stay in it. `writer`: writes a group without Kysely where the store allows it
   * (SQLite; see token-writer.ts).
   */
  constructor(db: Db, options: { group?: boolean; writer?: TokenRowWriter | undefined } = {}) {
    this.#db = db;
    this.#group = options.group ?? false;
    this.#writer = options.writer;
  }

  insert(token: OAuthTokenRecord): Promise<void> {
    const row = toRow(token);
    if (!this.#group) return this.#insertOne(row);
    return new Promise<void>((resolve, reject) => {
      if (this.#waiting.push({ row, resolve, reject }) === 1) setImmediate(() => void this.#flush());
    });
  }

  async #insertOne(row: OAuthTokensTable): Promise<void> {
    try {
      await this.#db.insertInto('oauth_tokens').values(row).execute();
    } catch (error) {
      rethrowUnique(error, 'oauth_tokens.token_hash');
    }
  }

  async #flush(): Promise<void> {
    const waiting = this.#waiting;
    this.#waiting = [];
    for (let start = 0; start < waiting.length; start += MAX_GROUP) {
      const group = waiting.slice(start, start + MAX_GROUP);
      try {
        const rows = group.map((w) => w.row);
        if (!this.#writer?.tryInsertAll(rows)) {
          if (group.length === 1) await this.#insertOne(rows[0] as OAuthTokensTable);
          else await this.#db.insertInto('oauth_tokens').values(rows).execute();
        }
        for (const w of group) w.resolve();
      } catch {
        // One row spoiled the group (a replayed client assertion's id, say): each row on its own, in the order they
        // came, each with its own answer; of two rows with one hash, the first one wins.
        for (const w of group) await this.#insertOne(w.row).then(w.resolve, w.reject);
      }
    }
  }

  async getByHash(tokenHash: string): Promise<OAuthTokenRecord | undefined> {
    const row = await this.#db.selectFrom('oauth_tokens').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
    return row && toToken(row);
  }

  async revoke(id: string, at: number): Promise<boolean> {
    const result = await this.#db.updateTable('oauth_tokens').set({ revoked_at: at }).where('id', '=', id).where('revoked_at', 'is', null).executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  async revokeFamily(familyId: string, at: number): Promise<number> {
    const result = await this.#db.updateTable('oauth_tokens').set({ revoked_at: at }).where('family_id', '=', familyId).where('revoked_at', 'is', null).executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  async listRevokedAccess(now: number): Promise<Array<{ tokenHash: string; expiresAt: number | null }>> {
    const rows = await this.#db
      .selectFrom('oauth_tokens')
      .select(['token_hash', 'expires_at'])
      // A range, not `is not null`: without statistics SQLite otherwise walks the expiry index, every live token of
      // it (246 ms at start with a million tokens; 0.3 ms this way, bench gatehouse-1m-*).
      .where('revoked_at', '>=', 0)
      .where('kind', '=', 'access')
      .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)]))
      .execute();
    return rows.map((row) => ({ tokenHash: row.token_hash, expiresAt: numOrNull(row.expires_at) }));
  }

  async listRevokedAccessSince(since: number, now: number): Promise<Array<{ tokenHash: string; expiresAt: number | null; revokedAt: number }>> {
    const rows = await this.#db
      .selectFrom('oauth_tokens')
      .select(['token_hash', 'expires_at', 'revoked_at'])
      .where('revoked_at', '>=', since)
      .where('kind', '=', 'access')
      .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)]))
      .orderBy('revoked_at')
      .execute();
    return rows.map((row) => ({ tokenHash: row.token_hash, expiresAt: numOrNull(row.expires_at), revokedAt: num(row.revoked_at as number) }));
  }

  /** On SQLite a scan (no index on client_id: migration 0007 says why); on PostgreSQL through its index. */
  async revokeForClient(clientId: string, at: number): Promise<number> {
    const result = await this.#db.updateTable('oauth_tokens').set({ revoked_at: at }).where('client_id', '=', clientId).where('revoked_at', 'is', null).executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  async deleteExpired(before: number): Promise<number> {
    const result = await this.#db.deleteFrom('oauth_tokens').where('expires_at', 'is not', null).where('expires_at', '<', before).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
