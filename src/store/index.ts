// The store's public face.
export * from './store.ts';
export { openStore, maskUrl, SQLITE_FILE_NAME, type StoreOptions, type OpenedStore } from './open.ts';
export type { SqlStore } from './sql-store.ts';
