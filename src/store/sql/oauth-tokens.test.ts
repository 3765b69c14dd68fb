// The token table's indexes on SQLite: the family and revocation indexes hold only rows that have a value, and the
// queries that need them still use them (a query that fell back to a scan would read every token); there is no index
// on client_id (migration 0007), whose one query is a rare admin's scan.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../open.ts';
import type { SqlStore } from '../sql-store.ts';
import type { OAuthTokenRecord } from '../store.ts';

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

  it('has no index on client_id: revoking a deleted client’s tokens scans the table instead', async () => {
    const indexes = await sql<{ name: string }>`select name from sqlite_master where type = 'index' and tbl_name = 'oauth_tokens'`.execute(store.db);
    expect(indexes.rows.map((row) => row.name)).not.toContain('oauth_tokens_client');
    expect(await plan(`UPDATE oauth_tokens SET revoked_at = 1 WHERE client_id = 'c' AND revoked_at IS NULL`)).toMatch(/^SCAN oauth_tokens$/m);
  });

  it('revokes a family through the family index', async () => {
    expect(await plan(`UPDATE oauth_tokens SET revoked_at = 1 WHERE family_id = 'f' AND revoked_at IS NULL`)).toMatch(/USING INDEX oauth_tokens_family/);
  });

  it('finds revoked access tokens (at start and for the revocation feed) through the revocation index', async () => {
    const query = `SELECT token_hash FROM oauth_tokens WHERE revoked_at >= 0 AND kind = 'access' AND (expires_at IS NULL OR expires_at > 5) ORDER BY revoked_at`;
    expect(await plan(query)).toMatch(/USING INDEX oauth_tokens_revoked/);
  });
});

describe('grouped token writes on SQLite', () => {
  const row = (id: string, tokenHash = `hash-${id}`): OAuthTokenRecord => ({
    id, kind: 'access', tokenHash, clientId: 'c', appId: 'a', developerId: 'd', products: ['p'], scope: '', grantType: 'client_credentials',
    endUser: null, issuedAt: 1, expiresAt: 2, revokedAt: null, familyId: null, attributes: { k: 'v' },
  });

  it('writes a group in one go, each caller answered, and reads back what it wrote', async () => {
    await Promise.all(['g1', 'g2', 'g3'].map((id) => store.oauthTokens.insert(row(id))));
    expect(await store.oauthTokens.getByHash('hash-g2')).toEqual(row('g2'));
  });

  it('answers each caller of a group with its own outcome when one row is refused', async () => {
    const results = await Promise.allSettled([store.oauthTokens.insert(row('d1', 'dup')), store.oauthTokens.insert(row('d2', 'dup')), store.oauthTokens.insert(row('d3'))]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((await store.oauthTokens.getByHash('dup'))?.id).toBe('d1');
  });

  it('never writes into a transaction that is open on the connection: the rows wait, and survive its rollback', async () => {
    let release: () => void = () => {};
    let begun: () => void = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    const started = new Promise<void>((resolve) => (begun = resolve));
    const transaction = store.transaction(async (tx) => {
      await tx.oauthTokens.insert(row('in-tx'));
      begun();
      await held;
      throw new Error('roll back');
    });
    await started; // the transaction is open and holds the connection
    const outside = store.oauthTokens.insert(row('outside'));
    await new Promise((resolve) => setImmediate(resolve)); // the group's flush (queued first) has run, inside the transaction's life
    release();
    await expect(transaction).rejects.toThrow('roll back');
    await outside;
    expect(await store.oauthTokens.getByHash('hash-in-tx')).toBeUndefined();
    expect((await store.oauthTokens.getByHash('hash-outside'))?.id).toBe('outside');
  });
});
