// Opens the store the configuration names: PostgreSQL when a URL is given, else the SQLite file in the data dir.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import { WalCheckpointer } from './checkpointer.ts';
import { withStatementCache } from './statement-cache.ts';
import type pg from 'pg';
import { migrateToLatest, type MigrationReport } from './migrations/index.ts';
import { SqlStore } from './sql-store.ts';
import { sqliteTokenRowWriter } from './sql/token-writer.ts';
import type { Database } from './tables.ts';

export interface StoreOptions {
  /** PostgreSQL connection URL; when absent, SQLite in `dataDir`. */
  databaseUrl?: string | undefined;
  /** Directory of the SQLite file (`gatehouse.db`). */
  dataDir?: string | undefined;
  /** A SQLite file path, instead of `dataDir` (tests use `:memory:`). */
  sqliteFile?: string | undefined;
  /** Apply pending migrations before returning (default true). */
  migrate?: boolean;
}

export interface OpenedStore {
  store: SqlStore;
  migrations: MigrationReport;
  /** Where the data lives, for the start-up banner; passwords are masked. */
  location: string;
}

export const SQLITE_FILE_NAME = 'gatehouse.db';

export async function openStore(options: StoreOptions): Promise<OpenedStore> {
  const { store, location, sqlite } = options.databaseUrl ? await openPostgres(options.databaseUrl) : openSqlite(options);
  try {
    const migrate = () => migrateToLatest(store.db as Kysely<unknown>, store.dialect);
    const migrations = options.migrate === false ? { applied: [] } : sqlite ? await migrateLocked(sqlite, migrate) : await migrate();
    return { store, migrations, location };
  } catch (error) {
    await store.close().catch(() => {});
    throw error;
  }
}

/**
 * Kysely takes no migration lock on SQLite and runs its DDL outside a transaction, so two processes starting on a
 * fresh data directory would both apply 0001. Holding an immediate (write) transaction on Kysely's own connection
 * for the whole run makes other processes wait (busy_timeout) and, SQLite DDL being transactional, makes the
 * migrations all or nothing.
 */
async function migrateLocked(database: BetterSqlite3.Database, migrate: () => Promise<MigrationReport>): Promise<MigrationReport> {
  database.exec('BEGIN IMMEDIATE');
  try {
    const report = await migrate();
    database.exec('COMMIT');
    return report;
  } catch (error) {
    if (database.inTransaction) database.exec('ROLLBACK');
    throw error;
  }
}

/**
 * Switches the file to WAL. The switch needs the file to itself and SQLite answers BUSY at once, without its busy
 * handler, when another process is opening the same new file; so retry briefly, and stop as soon as the other
 * process has made the switch (it is stored in the file).
 */
function useWal(database: BetterSqlite3.Database): void {
  const pause = new Int32Array(new SharedArrayBuffer(4));
  for (let attempt = 0; ; attempt++) {
    try {
      database.pragma('journal_mode = WAL');
      return;
    } catch (error) {
      const busy = (error as { code?: string }).code?.startsWith('SQLITE_BUSY');
      if (!busy || attempt >= 250) throw error;
      if (String(database.pragma('journal_mode', { simple: true })).toLowerCase() === 'wal') return;
      Atomics.wait(pause, 0, 0, 20); // start-up only: a synchronous 20 ms pause between attempts
    }
  }
}

function openSqlite(options: StoreOptions): { store: SqlStore; location: string; sqlite: BetterSqlite3.Database } {
  let file = options.sqliteFile;
  if (!file) {
    const dir = options.dataDir ?? 'data';
    mkdirSync(dir, { recursive: true });
    file = join(dir, SQLITE_FILE_NAME);
  }
  const database = new BetterSqlite3(file);
  database.pragma('busy_timeout = 5000');
  useWal(database);
  database.pragma('foreign_keys = ON');
  database.pragma('synchronous = NORMAL');
  // An in-memory database has no WAL to checkpoint.
  const checkpointer = file === ':memory:' ? undefined : new WalCheckpointer(database, file, { onError: logStoreError });
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(database) }) });
  // The worker makes a last checkpoint and closes its connection before the store closes its own, so that nothing
  // touches the file once close() has returned.
  const store = new SqlStore(db, 'sqlite', { tokenWriter: sqliteTokenRowWriter(database), ...(checkpointer ? { beforeClose: () => checkpointer.close() } : {}) });
  return { store, location: `SQLite ${file}`, sqlite: database };
}

/** Background store work (WAL checkpoints) has no caller to fail: it reports in the server's log format. */
function logStoreError(error: unknown): void {
  const err = error instanceof Error ? { message: error.message } : error;
  process.stderr.write(`${JSON.stringify({ level: 'error', time: Date.now(), msg: 'store: background work failed', err })}\n`);
}

// int8 (bigint) columns hold epoch milliseconds, which fit a JS number; parse them as numbers.
const INT8_OID = 20;

async function openPostgres(url: string): Promise<{ store: SqlStore; location: string; sqlite?: undefined }> {
  // Loaded only here: a node on SQLite never loads the PostgreSQL driver.
  const { default: pgModule } = await import('pg');
  const pgTypes = {
    getTypeParser(oid: number, format?: 'text' | 'binary') {
      if (oid === INT8_OID) return (value: string) => Number(value);
      return pgModule.types.getTypeParser(oid, format as 'text');
    },
  } as unknown as pg.CustomTypesConfig;
  const pool = new pgModule.Pool({ connectionString: url, types: pgTypes, max: 10 });
  // An idle client that loses its connection must not crash the process; the next query reports it.
  pool.on('error', () => {});
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return { store: new SqlStore(db, 'postgres'), location: `PostgreSQL ${maskUrl(url)}` };
}

export function maskUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'postgres (unparseable URL)';
  }
}
