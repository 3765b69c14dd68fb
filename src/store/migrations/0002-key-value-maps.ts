// Key value maps (Apigee KVMs): named maps of string entries, organisation-wide or scoped to one API.
import type { Kysely } from 'kysely';
import type { Migration } from './index.ts';

export const keyValueMaps: Migration = {
  name: '0002-key-value-maps',
  async up(db: Kysely<unknown>) {
    const ms = 'bigint';
    // `api` is '' for an organisation-wide map (Apigee's environment scope), so (api, name) can be unique on both
    // databases: a NULL would never collide with another NULL.
    await db.schema
      .createTable('key_value_maps')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('api', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('encrypted', 'integer', (c) => c.notNull())
      .addColumn('description', 'text')
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('created_at', ms, (c) => c.notNull())
      .addColumn('updated_at', ms, (c) => c.notNull())
      .addUniqueConstraint('key_value_maps_scope_name', ['api', 'name'])
      .execute();

    // Values of encrypted maps are stored as ciphertext (see src/util/cipher.ts), never in the clear.
    await db.schema
      .createTable('key_value_entries')
      .addColumn('map_id', 'text', (c) => c.notNull().references('key_value_maps.id').onDelete('cascade'))
      .addColumn('key', 'text', (c) => c.notNull())
      .addColumn('value', 'text', (c) => c.notNull())
      .addColumn('updated_at', ms, (c) => c.notNull())
      .addPrimaryKeyConstraint('key_value_entries_pk', ['map_id', 'key'])
      .execute();
  },
};
