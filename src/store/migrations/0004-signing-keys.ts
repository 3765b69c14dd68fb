// Keys that sign JWT access tokens (public part as a JWK, private part encrypted under the server secret), and an
// index that finds revoked tokens quickly, so a start can learn which JWTs it must refuse without a full scan.
import type { Kysely } from 'kysely';
import type { Migration } from './index.ts';

export const signingKeys: Migration = {
  name: '0004-signing-keys',
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('signing_keys')
      .addColumn('kid', 'text', (c) => c.primaryKey())
      .addColumn('alg', 'text', (c) => c.notNull())
      .addColumn('public_jwk', 'text', (c) => c.notNull())
      .addColumn('private_key', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('activates_at', 'bigint', (c) => c.notNull())
      .addColumn('retires_at', 'bigint')
      .addColumn('expires_at', 'bigint')
      .execute();
    await db.schema.createIndex('oauth_tokens_revoked').on('oauth_tokens').column('revoked_at').execute();
  },
};
