// Developer apps and their credentials (with per-product status) in SQL.
import type { AppSpec, AppStatus, CredentialStatus, SubscriptionStatus } from '../../model/app.ts';
import type { AppRecord, AppRepository, CredentialProduct, CredentialRecord, CredentialRepository, PageRequest } from '../store.ts';
import type { AppsTable, CredentialsTable } from '../tables.ts';
import { decodeCursor, num, numOrNull, parseJson, rethrowUnique, toPage, type Db } from './shared.ts';

function toApp(row: AppsTable): AppRecord {
  return {
    id: row.id,
    developerId: row.developer_id,
    name: row.name,
    spec: parseJson<AppSpec>(row.spec),
    status: row.status as AppStatus,
    version: num(row.version),
    createdAt: num(row.created_at),
    updatedAt: num(row.updated_at),
  };
}

export class SqlApps implements AppRepository {
  readonly #db: Db;
  constructor(db: Db) {
    this.#db = db;
  }

  async insert(app: AppRecord): Promise<void> {
    try {
      await this.#db
        .insertInto('apps')
        .values({
          id: app.id,
          developer_id: app.developerId,
          name: app.name,
          spec: JSON.stringify(app.spec),
          status: app.status,
          version: app.version,
          created_at: app.createdAt,
          updated_at: app.updatedAt,
        })
        .execute();
    } catch (error) {
      rethrowUnique(error, 'apps.developer_name');
    }
  }

  async get(developerId: string, name: string): Promise<AppRecord | undefined> {
    const row = await this.#db.selectFrom('apps').selectAll().where('developer_id', '=', developerId).where('name', '=', name).executeTakeFirst();
    return row && toApp(row);
  }

  async getById(id: string): Promise<AppRecord | undefined> {
    const row = await this.#db.selectFrom('apps').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toApp(row);
  }

  async listForDeveloper(developerId: string, page: PageRequest) {
    const after = decodeCursor<string>(page.cursor, 'string');
    let query = this.#db.selectFrom('apps').selectAll().where('developer_id', '=', developerId).orderBy('name').limit(page.limit + 1);
    if (after !== undefined) query = query.where('name', '>', after);
    return toPage(await query.execute(), page.limit, toApp, (r) => r.name);
  }

  async namesForDeveloper(developerId: string): Promise<string[]> {
    const rows = await this.#db.selectFrom('apps').select('name').where('developer_id', '=', developerId).orderBy('name').execute();
    return rows.map((r) => r.name);
  }

  async update(app: AppRecord, expectedVersion: number): Promise<boolean> {
    const result = await this.#db
      .updateTable('apps')
      .set({ spec: JSON.stringify(app.spec), status: app.status, version: app.version, updated_at: app.updatedAt })
      .where('id', '=', app.id)
      .where('version', '=', expectedVersion)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  async delete(id: string): Promise<boolean> {
    const result = await this.#db.deleteFrom('apps').where('id', '=', id).executeTakeFirst();
    return Number(result.numDeletedRows) === 1;
  }
}

export class SqlCredentials implements CredentialRepository {
  readonly #db: Db;
  constructor(db: Db) {
    this.#db = db;
  }

  async insert(credential: CredentialRecord): Promise<void> {
    try {
      await this.#db
        .insertInto('credentials')
        .values({
          id: credential.id,
          app_id: credential.appId,
          client_id: credential.clientId,
          secret_hash: credential.secretHash,
          status: credential.status,
          issued_at: credential.issuedAt,
          expires_at: credential.expiresAt,
        })
        .execute();
    } catch (error) {
      rethrowUnique(error, 'credentials.client_id');
    }
    await this.setProducts(credential.id, credential.products);
  }

  private async withProducts(rows: CredentialsTable[]): Promise<CredentialRecord[]> {
    if (rows.length === 0) return [];
    const links = await this.#db
      .selectFrom('credential_products')
      .selectAll()
      .where(
        'credential_id',
        'in',
        rows.map((r) => r.id),
      )
      .orderBy('product_name')
      .execute();
    return rows.map((row) => ({
      id: row.id,
      appId: row.app_id,
      clientId: row.client_id,
      secretHash: row.secret_hash,
      status: row.status as CredentialStatus,
      issuedAt: num(row.issued_at),
      expiresAt: numOrNull(row.expires_at),
      products: links
        .filter((l) => l.credential_id === row.id)
        .map((l) => ({ name: l.product_name, status: l.status as SubscriptionStatus })),
    }));
  }

  async getByClientId(clientId: string): Promise<CredentialRecord | undefined> {
    const row = await this.#db.selectFrom('credentials').selectAll().where('client_id', '=', clientId).executeTakeFirst();
    if (!row) return undefined;
    const [credential] = await this.withProducts([row]);
    return credential;
  }

  async listForApp(appId: string): Promise<CredentialRecord[]> {
    const rows = await this.#db.selectFrom('credentials').selectAll().where('app_id', '=', appId).orderBy('issued_at').orderBy('client_id').execute();
    return this.withProducts(rows);
  }

  async setSecretHash(id: string, secretHash: string): Promise<void> {
    await this.#db.updateTable('credentials').set({ secret_hash: secretHash }).where('id', '=', id).execute();
  }

  async setStatus(id: string, status: CredentialStatus): Promise<void> {
    await this.#db.updateTable('credentials').set({ status }).where('id', '=', id).execute();
  }

  async setProducts(id: string, products: CredentialProduct[]): Promise<void> {
    await this.#db.deleteFrom('credential_products').where('credential_id', '=', id).execute();
    if (products.length === 0) return;
    await this.#db
      .insertInto('credential_products')
      .values(products.map((p) => ({ credential_id: id, product_name: p.name, status: p.status })))
      .execute();
  }

  async delete(id: string): Promise<boolean> {
    const result = await this.#db.deleteFrom('credentials').where('id', '=', id).executeTakeFirst();
    return Number(result.numDeletedRows) === 1;
  }

  async appsSubscribedTo(productName: string): Promise<string[]> {
    const rows = await this.#db
      .selectFrom('credential_products')
      .innerJoin('credentials', 'credentials.id', 'credential_products.credential_id')
      .innerJoin('apps', 'apps.id', 'credentials.app_id')
      .innerJoin('developers', 'developers.id', 'apps.developer_id')
      .select(['developers.email as email', 'apps.name as app'])
      .where('credential_products.product_name', '=', productName)
      .distinct()
      .orderBy('developers.email')
      .orderBy('apps.name')
      .execute();
    return rows.map((r) => `${r.email}/${r.app}`);
  }
}
