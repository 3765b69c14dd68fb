// Key value maps and their entries in SQL. An organisation-wide map is stored with api = ''.
import type { KeyValueEntryRecord, KeyValueMapRecord, KeyValueMapRepository, PageRequest } from '../store.ts';
import type { KeyValueEntriesTable, KeyValueMapsTable } from '../tables.ts';
import { decodeCursor, num, rethrowUnique, toPage, type Db } from './shared.ts';

function toMap(row: KeyValueMapsTable): KeyValueMapRecord {
  return {
    id: row.id,
    name: row.name,
    api: row.api === '' ? null : row.api,
    encrypted: num(row.encrypted) === 1,
    description: row.description,
    version: num(row.version),
    createdAt: num(row.created_at),
    updatedAt: num(row.updated_at),
  };
}

function toEntry(row: KeyValueEntriesTable): KeyValueEntryRecord {
  return { mapId: row.map_id, key: row.key, value: row.value, updatedAt: num(row.updated_at) };
}

function fromEntry(entry: KeyValueEntryRecord): KeyValueEntriesTable {
  return { map_id: entry.mapId, key: entry.key, value: entry.value, updated_at: entry.updatedAt };
}

export class SqlKeyValueMaps implements KeyValueMapRepository {
  readonly #db: Db;
  constructor(db: Db) {
    this.#db = db;
  }

  async insert(map: KeyValueMapRecord): Promise<void> {
    try {
      await this.#db
        .insertInto('key_value_maps')
        .values({
          id: map.id,
          api: map.api ?? '',
          name: map.name,
          encrypted: map.encrypted ? 1 : 0,
          description: map.description,
          version: map.version,
          created_at: map.createdAt,
          updated_at: map.updatedAt,
        })
        .execute();
    } catch (error) {
      rethrowUnique(error, 'key_value_maps.scope_name');
    }
  }

  async get(api: string | null, name: string): Promise<KeyValueMapRecord | undefined> {
    const row = await this.#db.selectFrom('key_value_maps').selectAll().where('api', '=', api ?? '').where('name', '=', name).executeTakeFirst();
    return row && toMap(row);
  }

  async list(filter: { api?: string | undefined }, page: PageRequest) {
    // The cursor is "api/name": names cannot hold a slash, so it splits unambiguously.
    const after = decodeCursor<string>(page.cursor, 'string');
    let query = this.#db.selectFrom('key_value_maps').selectAll().orderBy('api').orderBy('name').limit(page.limit + 1);
    if (filter.api !== undefined) query = query.where('api', '=', filter.api);
    if (after !== undefined) {
      const slash = after.lastIndexOf('/');
      const api = after.slice(0, Math.max(0, slash));
      const name = after.slice(slash + 1);
      query = query.where((eb) => eb.or([eb('api', '>', api), eb.and([eb('api', '=', api), eb('name', '>', name)])]));
    }
    return toPage(await query.execute(), page.limit, toMap, (r) => `${r.api}/${r.name}`);
  }

  async update(map: KeyValueMapRecord, expectedVersion: number): Promise<boolean> {
    const result = await this.#db
      .updateTable('key_value_maps')
      .set({ description: map.description, encrypted: map.encrypted ? 1 : 0, version: map.version, updated_at: map.updatedAt })
      .where('id', '=', map.id)
      .where('version', '=', expectedVersion)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  async delete(id: string): Promise<boolean> {
    // Entries go first (the foreign key cascades too; this does not rely on it).
    await this.#db.deleteFrom('key_value_entries').where('map_id', '=', id).execute();
    const result = await this.#db.deleteFrom('key_value_maps').where('id', '=', id).executeTakeFirst();
    return Number(result.numDeletedRows) === 1;
  }

  async deleteForApi(api: string): Promise<string[]> {
    if (api === '') return [];
    const maps = await this.#db.selectFrom('key_value_maps').select(['id', 'name']).where('api', '=', api).orderBy('name').execute();
    for (const map of maps) await this.delete(map.id);
    return maps.map((m) => m.name);
  }

  async getEntry(mapId: string, key: string): Promise<KeyValueEntryRecord | undefined> {
    const row = await this.#db.selectFrom('key_value_entries').selectAll().where('map_id', '=', mapId).where('key', '=', key).executeTakeFirst();
    return row && toEntry(row);
  }

  async listEntries(mapId: string, page: PageRequest) {
    const after = decodeCursor<string>(page.cursor, 'string');
    let query = this.#db.selectFrom('key_value_entries').selectAll().where('map_id', '=', mapId).orderBy('key').limit(page.limit + 1);
    if (after !== undefined) query = query.where('key', '>', after);
    return toPage(await query.execute(), page.limit, toEntry, (r) => r.key);
  }

  async countEntries(mapId: string): Promise<number> {
    const row = await this.#db
      .selectFrom('key_value_entries')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('map_id', '=', mapId)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async putEntry(entry: KeyValueEntryRecord): Promise<void> {
    const values = fromEntry(entry);
    await this.#db
      .insertInto('key_value_entries')
      .values(values)
      .onConflict((oc) => oc.columns(['map_id', 'key']).doUpdateSet({ value: values.value, updated_at: values.updated_at }))
      .execute();
  }

  async insertEntry(entry: KeyValueEntryRecord): Promise<boolean> {
    const result = await this.#db
      .insertInto('key_value_entries')
      .values(fromEntry(entry))
      .onConflict((oc) => oc.columns(['map_id', 'key']).doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0n) === 1;
  }

  async deleteEntry(mapId: string, key: string): Promise<boolean> {
    const result = await this.#db.deleteFrom('key_value_entries').where('map_id', '=', mapId).where('key', '=', key).executeTakeFirst();
    return Number(result.numDeletedRows) === 1;
  }
}
