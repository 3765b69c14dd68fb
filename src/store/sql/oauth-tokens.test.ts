// The token table's indexes on SQLite: the family and revocation indexes hold only rows that have a value, and the
// queries that need them still use them (a query that fell back to a scan would read every token).
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../open.ts';
import type { SqlStore } from '../sql-store.ts';

let store: SqlStore;
beforeAll(async () => {
  ({ store } = await openStore({ sqliteFile: ':memory:' }));
});
afterAll(async () => {
  await store?.close();
});

async function plan(query: string): Promise<string> {
  const rows = await sql.raw<{ detail: string }>(`EXPLAIN QUERY PLAN ${query}`).execute(store.db);
  return rows.rows.map((row) => row.detail).join('\n');
}

describe('oauth_tokens indexes', () => {
  it('indexes only tokens with a family, and only revoked tokens', async () => {
    const indexes = await sql<{ name: string; sql: string }>`select name, sql from sqlite_master where type = 'index' and tbl_name = 'oauth_tokens'`.execute(store.db);
    const ddl = Object.fromEntries(indexes.rows.map((row) => [row.name, row.sql]));
    expect(ddl.oauth_tokens_family).toMatch(/where "family_id" is not null$/i);
    expect(ddl.oauth_tokens_revoked).toMatch(/where "revoked_at" is not null$/i);
  });

  it('revokes a family through the family index', async () => {
    expect(await plan(`UPDATE oauth_tokens SET revoked_at = 1 WHERE family_id = 'f' AND revoked_at IS NULL`)).toMatch(/USING INDEX oauth_tokens_family/);
  });

  it('finds revoked access tokens (at start and for the revocation feed) through the revocation index', async () => {
    const query = `SELECT token_hash FROM oauth_tokens WHERE revoked_at >= 0 AND kind = 'access' AND (expires_at IS NULL OR expires_at > 5) ORDER BY revoked_at`;
    expect(await plan(query)).toMatch(/USING INDEX oauth_tokens_revoked/);
  });
});
