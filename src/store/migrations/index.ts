// The one migration history both stores share. Append new migrations; never edit a released one.
import { Migrator, type Kysely, type MigrationProvider, type MigrationResultSet } from 'kysely';
import { initial } from './0001-initial.ts';
import { keyValueMaps } from './0002-key-value-maps.ts';
import { sessions } from './0003-sessions.ts';
import { signingKeys } from './0004-signing-keys.ts';
import { changeLog } from './0005-change-log.ts';
import { partialTokenIndexes } from './0006-partial-token-indexes.ts';
import { sqliteTokenClientIndex } from './0007-sqlite-token-client-index.ts';

export type Dialect = 'sqlite' | 'postgres';

export interface Migration {
  readonly name: string;
  up(db: Kysely<unknown>, dialect: Dialect): Promise<void>;
}

export const migrations: readonly Migration[] = [initial, keyValueMaps, sessions, signingKeys, changeLog, partialTokenIndexes, sqliteTokenClientIndex];

function provider(dialect: Dialect): MigrationProvider {
  return {
    async getMigrations() {
      return Object.fromEntries(migrations.map((m) => [m.name, { up: (db: Kysely<unknown>) => m.up(db, dialect) }]));
    },
  };
}

export interface MigrationReport {
  applied: string[];
}

/** Brings the schema up to date. Safe on every start; openStore serialises concurrent starts (a lock table on PostgreSQL, an immediate transaction on SQLite). */
export async function migrateToLatest(db: Kysely<unknown>, dialect: Dialect): Promise<MigrationReport> {
  const migrator = new Migrator({ db, provider: provider(dialect), migrationTableName: 'gatehouse_migrations', migrationLockTableName: 'gatehouse_migrations_lock' });
  const result: MigrationResultSet = await migrator.migrateToLatest();
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(`migration ${failed} failed: ${(result.error as Error).message}`, { cause: result.error });
  }
  return { applied: (result.results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName) };
}
