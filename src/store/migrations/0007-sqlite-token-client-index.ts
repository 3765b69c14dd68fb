// On SQLite the token table loses its index on client_id. Each commit writes every page it dirtied to the WAL (two
// writes a page), and that index dirtied one leaf page per client in a group commit: 64 clients issuing tokens add
// their rows at 64 places in it, while every other index of the table grows at its end (time-ordered keys). Without
// it, opaque issuance went from 19,500 to 25,500 tokens/s in a paired bench run (docs/performance.md, session 11).
// The index served one query, revoking the tokens of a deleted app, developer or credential, which now scans the
// table: 90–380 ms a million rows, during which the process waits (SQLite calls are synchronous), on an admin's rare
// action. PostgreSQL keeps the index: its tables are the large ones, where a scan costs more, and nothing measured its
// writes as slowed by it.
import type { Kysely } from 'kysely';
import type { Migration } from './index.ts';

export const sqliteTokenClientIndex: Migration = {
  name: '0007-sqlite-token-client-index',
  async up(db: Kysely<unknown>, dialect) {
    if (dialect === 'sqlite') await db.schema.dropIndex('oauth_tokens_client').ifExists().execute();
  },
};
