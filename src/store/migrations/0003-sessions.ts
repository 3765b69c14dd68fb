// Sign-in sessions of the admin console and the developer hub: the cookie carries a random token, the store its hash.
import type { Kysely } from 'kysely';
import type { Migration } from './index.ts';

export const sessions: Migration = {
  name: '0003-sessions',
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('sessions')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('token_hash', 'text', (c) => c.notNull().unique())
      .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('surface', 'text', (c) => c.notNull())
      // A session opened with a personal access token ends with it (deleting the token deletes the session).
      .addColumn('token_id', 'text', (c) => c.references('personal_tokens.id').onDelete('cascade'))
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('expires_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('sessions_user').on('sessions').column('user_id').execute();
    await db.schema.createIndex('sessions_expires').on('sessions').column('expires_at').execute();
  },
};
