// Token rows written straight through better-sqlite3 (SQLite only): one prepared single-row INSERT run for each row
// of a group inside one transaction. Kysely would compile a multi-row INSERT for every group, bind all of its
// parameters and look its SQL text up again (about 5% of a token request together; bench --cpu-prof).
import type BetterSqlite3 from 'better-sqlite3';
import type { OAuthTokensTable } from '../tables.ts';

const COLUMNS: ReadonlyArray<keyof OAuthTokensTable> = ['id', 'kind', 'token_hash', 'client_id', 'app_id', 'developer_id', 'products', 'scope', 'grant_type', 'end_user', 'issued_at', 'expires_at', 'revoked_at', 'family_id', 'attributes'];

export interface TokenRowWriter {
  /**
   * Writes the rows in one transaction, all or none. Answers false, having written nothing, when a transaction is
   * already open on the connection: that one is Kysely's, the rows must not join it, and the caller goes through
   * Kysely, which waits its turn. Throws, having written nothing, when a row is refused (a duplicate key, say).
   */
  tryInsertAll(rows: readonly OAuthTokensTable[]): boolean;
}

export function sqliteTokenRowWriter(database: BetterSqlite3.Database): TokenRowWriter {
  // Prepared on first use: the table exists only once the migrations ran.
  let insertAll: ((rows: readonly OAuthTokensTable[]) => void) | undefined;
  return {
    tryInsertAll(rows) {
      if (database.inTransaction) return false;
      if (!insertAll) {
        const insert = database.prepare(`INSERT INTO oauth_tokens (${COLUMNS.join(', ')}) VALUES (${COLUMNS.map((c) => `@${c}`).join(', ')})`);
        insertAll = database.transaction((all: readonly OAuthTokensTable[]) => {
          for (const row of all) insert.run(row);
        });
      }
      insertAll(rows);
      return true;
    },
  };
}
