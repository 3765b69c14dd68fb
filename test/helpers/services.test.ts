// The throwaway-database helper against a real PostgreSQL server (DATABASE_URL; .ci/services.sh starts one).
import { describe, expect, it } from 'vitest';
import pg from 'pg';
import { createTestDatabase, postgresUrl, serviceAvailable } from './services.ts';

describe.skipIf(!serviceAvailable('postgres'))('createTestDatabase', () => {
  it('creates a fresh database that can be used, and drops it even while a connection is open', async () => {
    const db = await createTestDatabase();
    const name = new URL(db.url).pathname.slice(1);
    expect(name).toMatch(/^gh_test_[0-9a-f]+$/);

    const client = new pg.Client({ connectionString: db.url });
    // drop() terminates this session; without a listener pg would report that as an unhandled error.
    client.on('error', () => {});
    await client.connect();
    try {
      const result = await client.query<{ one: number }>('select 1 as one');
      expect(result.rows).toEqual([{ one: 1 }]);
      expect((await client.query<{ db: string }>('select current_database() as db')).rows[0]?.db).toBe(name);
    } finally {
      await db.drop();
      await client.end().catch(() => {});
    }

    const server = new pg.Client({ connectionString: postgresUrl() });
    await server.connect();
    try {
      const left = await server.query('select 1 from pg_database where datname = $1', [name]);
      expect(left.rowCount).toBe(0);
    } finally {
      await server.end();
    }
  });

  it('gives each call its own database', async () => {
    const [a, b] = await Promise.all([createTestDatabase(), createTestDatabase()]);
    try {
      expect(a.url).not.toBe(b.url);
    } finally {
      await Promise.all([a.drop(), b.drop()]);
    }
  });
});
