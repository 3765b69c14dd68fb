// JWT signing keys over Kysely.
import type { SigningKeyRecord, SigningKeyRepository } from '../store.ts';
import type { SigningKeysTable } from '../tables.ts';
import { num, numOrNull, parseJson, type Db } from './shared.ts';

function toKey(row: SigningKeysTable): SigningKeyRecord {
  return {
    kid: row.kid,
    alg: row.alg,
    publicJwk: parseJson<Record<string, unknown>>(row.public_jwk),
    privateKey: row.private_key,
    createdAt: num(row.created_at),
    activatesAt: num(row.activates_at),
    retiresAt: numOrNull(row.retires_at),
    expiresAt: numOrNull(row.expires_at),
  };
}

export class SqlSigningKeys implements SigningKeyRepository {
  readonly #db: Db;
  constructor(db: Db) {
    this.#db = db;
  }

  async insert(key: SigningKeyRecord): Promise<void> {
    await this.#db
      .insertInto('signing_keys')
      .values({
        kid: key.kid,
        alg: key.alg,
        public_jwk: JSON.stringify(key.publicJwk),
        private_key: key.privateKey,
        created_at: key.createdAt,
        activates_at: key.activatesAt,
        retires_at: key.retiresAt,
        expires_at: key.expiresAt,
      })
      .execute();
  }

  async list(): Promise<SigningKeyRecord[]> {
    const rows = await this.#db.selectFrom('signing_keys').selectAll().orderBy('created_at').orderBy('kid').execute();
    return rows.map(toKey);
  }

  async retire(kid: string, retiresAt: number, expiresAt: number): Promise<boolean> {
    const result = await this.#db.updateTable('signing_keys').set({ retires_at: retiresAt, expires_at: expiresAt }).where('kid', '=', kid).executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  async deleteExpired(before: number): Promise<number> {
    const result = await this.#db.deleteFrom('signing_keys').where('expires_at', '<', before).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
