// WAL checkpoints run on a worker thread; the writing connection no longer checkpoints in its commits.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { WalCheckpointer, WRITER_CHECKPOINT_PAGES } from './checkpointer.ts';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function openWal(): { database: BetterSqlite3.Database; file: string } {
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-checkpoint-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'test.db');
  const database = new BetterSqlite3(file);
  database.pragma('journal_mode = WAL');
  database.exec('create table t (id integer primary key, v text not null)');
  return { database, file };
}

function writeRows(database: BetterSqlite3.Database, count: number): void {
  const insert = database.prepare('insert into t (v) values (?)');
  for (let i = 0; i < count; i++) insert.run('x'.repeat(500));
}

describe('WalCheckpointer', () => {
  it('lets the writing connection checkpoint only at a bound far above SQLite\'s 1,000 pages', () => {
    const { database, file } = openWal();
    const checkpointer = new WalCheckpointer(database, file, { intervalMs: 60_000 });
    cleanups.push(() => void database.close(), () => checkpointer.close());
    expect(database.pragma('wal_autocheckpoint', { simple: true })).toBe(WRITER_CHECKPOINT_PAGES);
    // More than 1,000 pages: without the checkpointer the WAL would have been copied and started over by now.
    writeRows(database, 12_000);
    const [row] = database.pragma('wal_checkpoint(PASSIVE)') as Array<{ log: number }>;
    expect(row?.log).toBeGreaterThan(1000);
  });

  it('keeps the WAL bounded under writes that never pause (the worker alone never catches up)', () => {
    const { database, file } = openWal();
    const checkpointer = new WalCheckpointer(database, file, { intervalMs: 60_000 });
    cleanups.push(() => void database.close(), () => checkpointer.close());
    // 80,000 rows of 500 bytes are about 10,000 pages: far past the bound, so the writer must have started over.
    writeRows(database, 80_000);
    const [row] = database.pragma('wal_checkpoint(PASSIVE)') as Array<{ log: number }>;
    expect(row?.log).toBeLessThanOrEqual(WRITER_CHECKPOINT_PAGES + 10);
  });

  it('checkpoints from its worker: every frame of the WAL ends up in the database file', async () => {
    const { database, file } = openWal();
    const checkpointer = new WalCheckpointer(database, file, { intervalMs: 60_000 });
    cleanups.push(() => void database.close(), () => checkpointer.close());
    const sizeBefore = statSync(file).size;
    writeRows(database, 2_000);
    const result = await checkpointer.checkpointNow();
    expect(result.logFrames).toBeGreaterThan(0);
    expect(result.checkpointedFrames).toBe(result.logFrames);
    expect(statSync(file).size).toBeGreaterThan(sizeBefore + 500 * 1000);
    // Another connection reading only the database file (no WAL) sees the rows.
    database.close();
    await checkpointer.close();
    const reader = new BetterSqlite3(file, { readonly: true });
    cleanups.push(() => void reader.close());
    expect(reader.prepare('select count(*) as n from t').get()).toEqual({ n: 2_000 });
  });

  it('when the worker fails, says so and lets the connection checkpoint by itself again', async () => {
    const { database } = openWal();
    cleanups.push(() => void database.close());
    // The worker cannot open a file in a directory that does not exist: it fails as it starts.
    let checkpointer: WalCheckpointer | undefined;
    const failed = new Promise<unknown>((resolve) => {
      checkpointer = new WalCheckpointer(database, join(tmpdir(), 'gatehouse-no-such-dir', 'x.db'), { intervalMs: 60_000, onError: resolve });
    });
    expect(String(await failed)).toMatch(/unable to open database file|directory does not exist/);
    expect(database.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
    await expect(checkpointer?.checkpointNow()).rejects.toThrow(/stopped/);
  });

  it('close stops the worker without reporting an error', async () => {
    const { database, file } = openWal();
    const errors: unknown[] = [];
    const checkpointer = new WalCheckpointer(database, file, { intervalMs: 60_000, onError: (error) => errors.push(error) });
    cleanups.push(() => void database.close());
    writeRows(database, 10);
    await checkpointer.close();
    expect(errors).toEqual([]);
    expect(database.pragma('wal_autocheckpoint', { simple: true })).toBe(WRITER_CHECKPOINT_PAGES);
  });
});
