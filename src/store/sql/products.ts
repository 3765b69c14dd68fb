// API products in SQL.
import type { ProductSpec } from '../../model/product.ts';
import type { PageRequest, ProductRecord, ProductRepository } from '../store.ts';
import type { ProductsTable } from '../tables.ts';
import { decodeCursor, num, parseJson, rethrowUnique, toPage, type Db } from './shared.ts';

function toProduct(row: ProductsTable): ProductRecord {
  return {
    id: row.id,
    name: row.name,
    spec: parseJson<ProductSpec>(row.spec),
    version: num(row.version),
    createdAt: num(row.created_at),
    updatedAt: num(row.updated_at),
  };
}

export class SqlProducts implements ProductRepository {
  readonly #db: Db;
  constructor(db: Db) {
    this.#db = db;
  }

  async insert(product: ProductRecord): Promise<void> {
    try {
      await this.#db
        .insertInto('products')
        .values({
          id: product.id,
          name: product.name,
          spec: JSON.stringify(product.spec),
          version: product.version,
          created_at: product.createdAt,
          updated_at: product.updatedAt,
        })
        .execute();
    } catch (error) {
      rethrowUnique(error, 'products.name');
    }
  }

  async get(name: string): Promise<ProductRecord | undefined> {
    const row = await this.#db.selectFrom('products').selectAll().where('name', '=', name).executeTakeFirst();
    return row && toProduct(row);
  }

  async list(page: PageRequest) {
    const after = decodeCursor<string>(page.cursor, 'string');
    let query = this.#db.selectFrom('products').selectAll().orderBy('name').limit(page.limit + 1);
    if (after !== undefined) query = query.where('name', '>', after);
    return toPage(await query.execute(), page.limit, toProduct, (r) => r.name);
  }

  async listAll(): Promise<ProductRecord[]> {
    const rows = await this.#db.selectFrom('products').selectAll().orderBy('name').execute();
    return rows.map(toProduct);
  }

  async update(product: ProductRecord, expectedVersion: number): Promise<boolean> {
    const result = await this.#db
      .updateTable('products')
      .set({ spec: JSON.stringify(product.spec), version: product.version, updated_at: product.updatedAt })
      .where('id', '=', product.id)
      .where('version', '=', expectedVersion)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  async delete(id: string): Promise<boolean> {
    const result = await this.#db.deleteFrom('products').where('id', '=', id).executeTakeFirst();
    return Number(result.numDeletedRows) === 1;
  }
}
