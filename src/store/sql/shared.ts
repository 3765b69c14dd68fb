// Helpers every SQL repository uses: the Kysely handle type, cursors, JSON columns, constraint errors.
import type { Kysely, Transaction } from 'kysely';
import type { PageOf } from '../../model/common.ts';
import { UniqueViolation } from '../store.ts';
import type { Database } from '../tables.ts';

export type Db = Kysely<Database> | Transaction<Database>;

export function encodeCursor(value: string | number): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}

/** Decodes a cursor; a cursor that was not made by encodeCursor reads as "from the start". */
export function decodeCursor<T extends string | number>(cursor: string | undefined, kind: 'string' | 'number'): T | undefined {
  if (!cursor) return undefined;
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    return typeof value === kind ? (value as T) : undefined;
  } catch {
    return undefined;
  }
}

/** Turns `limit + 1` fetched rows into a page: the extra row only says that there is a next page. */
export function toPage<R, T>(rows: R[], limit: number, map: (row: R) => T, key: (row: R) => string | number): PageOf<T> {
  const more = rows.length > limit;
  const kept = more ? rows.slice(0, limit) : rows;
  const last = kept[kept.length - 1];
  return { items: kept.map(map), nextCursor: more && last !== undefined ? encodeCursor(key(last)) : null };
}

export function parseJson<T>(text: string): T {
  return JSON.parse(text) as T;
}

export function num(value: number | string | bigint): number {
  return typeof value === 'number' ? value : Number(value);
}

export function numOrNull(value: number | string | bigint | null): number | null {
  return value === null ? null : num(value);
}

/** Maps a unique-constraint failure of either database to UniqueViolation; rethrows anything else. */
export function rethrowUnique(error: unknown, constraint: string): never {
  const e = error as { code?: string; message?: string; constraint?: string };
  if (e && (e.code === '23505' || (typeof e.code === 'string' && e.code.startsWith('SQLITE_CONSTRAINT_UNIQUE')) || e.code === 'SQLITE_CONSTRAINT_PRIMARYKEY')) {
    throw new UniqueViolation(constraint);
  }
  throw error;
}
