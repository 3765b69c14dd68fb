// The change log: every change notice a node emits, kept for a while so that every node sharing the store hears it
// (src/manage/change-log-poller.ts). Ids only grow: AUTOINCREMENT on SQLite never hands out an id twice, even after
// the newest rows are deleted; a sequence does the same on PostgreSQL.
import { sql, type Kysely } from 'kysely';
import type { Migration } from './index.ts';

export const changeLog: Migration = {
  name: '0005-change-log',
  async up(db: Kysely<unknown>, dialect) {
    await db.schema
      .createTable('change_log')
      .addColumn('id', dialect === 'postgres' ? sql`bigserial` : 'integer', (c) => (dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement()))
      .addColumn('at', 'bigint', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('origin', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('change_log_at').on('change_log').column('at').execute();
  },
};
