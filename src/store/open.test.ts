// How the SQLite store is opened: the file in the data directory, in WAL mode with foreign keys enforced.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { maskUrl, openStore, SQLITE_FILE_NAME } from './open.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-open-'));
  dirs.push(dir);
  return dir;
}

describe('openStore on SQLite', () => {
  it('creates gatehouse.db in the data directory, creating the directory, and names it as its location', async () => {
    const dataDir = join(tempDir(), 'nested', 'data');
    const { store, location, migrations } = await openStore({ dataDir });
    try {
      expect(location).toBe(`SQLite ${join(dataDir, SQLITE_FILE_NAME)}`);
      expect(migrations.applied.length).toBeGreaterThan(0);
    } finally {
      await store.close();
    }
  });

  it('uses write-ahead logging and enforces foreign keys', async () => {
    const { store } = await openStore({ dataDir: tempDir() });
    try {
      const journal = await sql<{ journal_mode: string }>`pragma journal_mode`.execute(store.db);
      const foreignKeys = await sql<{ foreign_keys: number }>`pragma foreign_keys`.execute(store.db);
      expect(journal.rows[0]?.journal_mode).toBe('wal');
      expect(foreignKeys.rows[0]?.foreign_keys).toBe(1);
    } finally {
      await store.close();
    }
  });
});

describe('maskUrl', () => {
  it('hides the password of a PostgreSQL URL and keeps the rest', () => {
    expect(maskUrl('postgres://gatehouse:s3cret@db.example:5432/gatehouse')).toBe('postgres://gatehouse:***@db.example:5432/gatehouse');
    expect(maskUrl('not a url')).toBe('postgres (unparseable URL)');
  });
});
