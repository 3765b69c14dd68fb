// APIs, their immutable revisions, and deployments in SQL.
import type { ApiSpec } from '../../model/api.ts';
import type { ApiRecord, ApiRepository, ApiRevisionRecord, DeploymentRecord, PageRequest } from '../store.ts';
import type { ApisTable, ApiRevisionsTable } from '../tables.ts';
import { decodeCursor, num, parseJson, rethrowUnique, toPage, type Db } from './shared.ts';

function toApi(row: ApisTable): ApiRecord {
  return {
    id: row.id,
    name: row.name,
    latestRevision: num(row.latest_revision),
    createdAt: num(row.created_at),
    updatedAt: num(row.updated_at),
  };
}

function toRevision(row: ApiRevisionsTable): ApiRevisionRecord {
  return {
    apiId: row.api_id,
    revision: num(row.revision),
    spec: parseJson<ApiSpec>(row.spec),
    createdAt: num(row.created_at),
    createdBy: row.created_by,
  };
}

function fromRevision(revision: ApiRevisionRecord): ApiRevisionsTable {
  return {
    api_id: revision.apiId,
    revision: revision.revision,
    base_path: revision.spec.basePath,
    spec: JSON.stringify(revision.spec),
    created_at: revision.createdAt,
    created_by: revision.createdBy,
  };
}

export class SqlApis implements ApiRepository {
  readonly #db: Db;
  constructor(db: Db) {
    this.#db = db;
  }

  async insert(api: ApiRecord, first: ApiRevisionRecord): Promise<void> {
    try {
      await this.#db
        .insertInto('apis')
        .values({ id: api.id, name: api.name, latest_revision: api.latestRevision, created_at: api.createdAt, updated_at: api.updatedAt })
        .execute();
    } catch (error) {
      rethrowUnique(error, 'apis.name');
    }
    await this.#db.insertInto('api_revisions').values(fromRevision(first)).execute();
  }

  async get(name: string): Promise<ApiRecord | undefined> {
    const row = await this.#db.selectFrom('apis').selectAll().where('name', '=', name).executeTakeFirst();
    return row && toApi(row);
  }

  async list(page: PageRequest) {
    const after = decodeCursor<string>(page.cursor, 'string');
    let query = this.#db.selectFrom('apis').selectAll().orderBy('name').limit(page.limit + 1);
    if (after !== undefined) query = query.where('name', '>', after);
    return toPage(await query.execute(), page.limit, toApi, (r) => r.name);
  }

  async addRevision(revision: ApiRevisionRecord, expectedLatest: number): Promise<boolean> {
    // The version check and the bump are one statement, so two concurrent saves cannot both win.
    const result = await this.#db
      .updateTable('apis')
      .set({ latest_revision: revision.revision, updated_at: revision.createdAt })
      .where('id', '=', revision.apiId)
      .where('latest_revision', '=', expectedLatest)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) !== 1) return false;
    await this.#db.insertInto('api_revisions').values(fromRevision(revision)).execute();
    return true;
  }

  async getRevision(apiId: string, revision: number): Promise<ApiRevisionRecord | undefined> {
    const row = await this.#db
      .selectFrom('api_revisions')
      .selectAll()
      .where('api_id', '=', apiId)
      .where('revision', '=', revision)
      .executeTakeFirst();
    return row && toRevision(row);
  }

  async listRevisions(apiId: string): Promise<ApiRevisionRecord[]> {
    const rows = await this.#db.selectFrom('api_revisions').selectAll().where('api_id', '=', apiId).orderBy('revision').execute();
    return rows.map(toRevision);
  }

  async delete(id: string): Promise<boolean> {
    const result = await this.#db.deleteFrom('apis').where('id', '=', id).executeTakeFirst();
    return Number(result.numDeletedRows) === 1;
  }

  async deploy(deployment: Omit<DeploymentRecord, 'apiName'>): Promise<void> {
    const values = {
      api_id: deployment.apiId,
      revision: deployment.revision,
      base_path: deployment.basePath,
      deployed_at: deployment.deployedAt,
      deployed_by: deployment.deployedBy,
    };
    try {
      await this.#db
        .insertInto('deployments')
        .values(values)
        .onConflict((oc) =>
          oc.column('api_id').doUpdateSet({
            revision: values.revision,
            base_path: values.base_path,
            deployed_at: values.deployed_at,
            deployed_by: values.deployed_by,
          }),
        )
        .execute();
    } catch (error) {
      rethrowUnique(error, 'deployments.base_path');
    }
  }

  async undeploy(apiId: string): Promise<boolean> {
    const result = await this.#db.deleteFrom('deployments').where('api_id', '=', apiId).executeTakeFirst();
    return Number(result.numDeletedRows) === 1;
  }

  private deployments() {
    return this.#db
      .selectFrom('deployments')
      .innerJoin('apis', 'apis.id', 'deployments.api_id')
      .select([
        'deployments.api_id as apiId',
        'apis.name as apiName',
        'deployments.revision as revision',
        'deployments.base_path as basePath',
        'deployments.deployed_at as deployedAt',
        'deployments.deployed_by as deployedBy',
      ]);
  }

  private static toDeployment(row: { apiId: string; apiName: string; revision: number; basePath: string; deployedAt: number; deployedBy: string }): DeploymentRecord {
    return { ...row, revision: num(row.revision), deployedAt: num(row.deployedAt) };
  }

  async getDeployment(apiId: string): Promise<DeploymentRecord | undefined> {
    const row = await this.deployments().where('deployments.api_id', '=', apiId).executeTakeFirst();
    return row && SqlApis.toDeployment(row);
  }

  async getDeploymentByBasePath(basePath: string): Promise<DeploymentRecord | undefined> {
    const row = await this.deployments().where('deployments.base_path', '=', basePath).executeTakeFirst();
    return row && SqlApis.toDeployment(row);
  }

  async listDeployments(): Promise<DeploymentRecord[]> {
    const rows = await this.deployments().orderBy('apis.name').execute();
    return rows.map(SqlApis.toDeployment);
  }
}
