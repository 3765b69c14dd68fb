// API operations: create, save revisions, deploy and undeploy, delete.
import { GatehouseError } from '../errors.ts';
import type { ApiSpec, ApiView, DeploymentView, RevisionView } from '../model/api.ts';
import { iso, type PageOf } from '../model/common.ts';
import { productApiNames } from '../model/product.ts';
import { UniqueViolation, type ApiRecord, type ApiRevisionRecord, type PageRequest, type Repositories } from '../store/index.ts';
import { newId } from '../util/secrets.ts';
import { audit, type Actor, type ManageDeps } from './context.ts';
import { jsonEqual } from './equal.ts';
import { checkVersion, preconditionFailed, sameIdentity, type Versioned } from './guards.ts';

async function requireApi(tx: Repositories, name: string): Promise<ApiRecord> {
  const api = await tx.apis.get(name);
  if (!api) throw new GatehouseError('api.not_found', `There is no API named '${name}'.`);
  return api;
}

async function requireRevision(tx: Repositories, api: ApiRecord, revision: number): Promise<ApiRevisionRecord> {
  const found = await tx.apis.getRevision(api.id, revision);
  if (!found) {
    throw new GatehouseError('api.revision_not_found', `API '${api.name}' has no revision ${revision}; its revisions are 1 to ${api.latestRevision}.`);
  }
  return found;
}

async function toView(tx: Repositories, api: ApiRecord, revision?: ApiRevisionRecord): Promise<ApiView> {
  const shown = revision ?? (await requireRevision(tx, api, api.latestRevision));
  const deployment = await tx.apis.getDeployment(api.id);
  return {
    ...shown.spec,
    revision: shown.revision,
    latestRevision: api.latestRevision,
    deployedRevision: deployment?.revision ?? null,
    createdAt: iso(api.createdAt),
    updatedAt: iso(api.updatedAt),
  };
}

export async function createApi(deps: ManageDeps, actor: Actor, spec: ApiSpec): Promise<Versioned<ApiView>> {
  const now = deps.clock.now();
  const result = await deps.store.transaction(async (tx) => {
    const api: ApiRecord = { id: newId(), name: spec.name, latestRevision: 1, createdAt: now, updatedAt: now };
    const first: ApiRevisionRecord = { apiId: api.id, revision: 1, spec, createdAt: now, createdBy: actor.name };
    try {
      await tx.apis.insert(api, first);
    } catch (error) {
      if (error instanceof UniqueViolation) throw new GatehouseError('api.exists', `An API named '${spec.name}' already exists.`);
      throw error;
    }
    await audit(tx, deps, actor, 'api.create', 'api', spec.name, { revision: 1, basePath: spec.basePath });
    return { view: await toView(tx, api, first), version: 1 };
  });
  await deps.changes.emit({ kind: 'api', name: spec.name });
  return result;
}

export async function getApi(deps: ManageDeps, name: string): Promise<Versioned<ApiView>> {
  const api = await requireApi(deps.store, name);
  return { view: await toView(deps.store, api), version: api.latestRevision };
}

export async function listApis(deps: ManageDeps, page: PageRequest): Promise<PageOf<ApiView>> {
  const result = await deps.store.apis.list(page);
  const items = await Promise.all(result.items.map((api) => toView(deps.store, api)));
  return { items, nextCursor: result.nextCursor };
}

/**
 * Saves a new immutable revision. A body identical to the latest revision saves nothing, so re-applying the
 * same file does not pile up revisions. `expectedRevision` (from If-Match) guards against lost updates.
 */
export async function updateApi(
  deps: ManageDeps,
  actor: Actor,
  name: string,
  spec: ApiSpec,
  expectedRevision?: number | null,
): Promise<Versioned<ApiView> & { created: boolean }> {
  sameIdentity('API', 'name', name, spec.name);
  const now = deps.clock.now();
  const result = await deps.store.transaction(async (tx) => {
    const api = await requireApi(tx, name);
    checkVersion(expectedRevision, api.latestRevision, `API '${name}'`);
    const latest = await requireRevision(tx, api, api.latestRevision);
    if (jsonEqual(latest.spec, spec)) return { view: await toView(tx, api, latest), version: api.latestRevision, created: false };
    const revision: ApiRevisionRecord = { apiId: api.id, revision: api.latestRevision + 1, spec, createdAt: now, createdBy: actor.name };
    if (!(await tx.apis.addRevision(revision, api.latestRevision))) throw preconditionFailed(`API '${name}'`);
    const saved = { ...api, latestRevision: revision.revision, updatedAt: now };
    await audit(tx, deps, actor, 'api.update', 'api', name, { revision: revision.revision });
    return { view: await toView(tx, saved, revision), version: revision.revision, created: true };
  });
  if (result.created) await deps.changes.emit({ kind: 'api', name });
  return result;
}

export async function deleteApi(deps: ManageDeps, actor: Actor, name: string): Promise<void> {
  let maps: string[] = [];
  await deps.store.transaction(async (tx) => {
    const api = await requireApi(tx, name);
    if (await tx.apis.getDeployment(api.id)) {
      throw new GatehouseError('api.deployed', `API '${name}' is deployed; undeploy it before deleting it.`);
    }
    const users = (await tx.products.listAll()).filter((p) => productApiNames(p.spec).includes(name)).map((p) => p.name);
    if (users.length > 0) {
      throw new GatehouseError('api.in_use', `API '${name}' is listed by products ${users.map((u) => `'${u}'`).join(', ')}; remove it from them first.`, {
        details: { products: users },
      });
    }
    // Like Apigee's proxy-scoped KVMs, the API's key value maps go with it.
    maps = await tx.keyValueMaps.deleteForApi(name);
    await tx.apis.delete(api.id);
    await audit(tx, deps, actor, 'api.delete', 'api', name, maps.length > 0 ? { keyValueMaps: maps } : {});
  });
  await deps.changes.emit({ kind: 'api', name });
  for (const map of maps) await deps.changes.emit({ kind: 'kvm', name: `${name}/${map}` });
}

function toRevisionView(revision: ApiRevisionRecord, deployedRevision: number | undefined): RevisionView {
  return {
    revision: revision.revision,
    createdAt: iso(revision.createdAt),
    createdBy: revision.createdBy,
    deployed: revision.revision === deployedRevision,
    spec: revision.spec,
  };
}

export async function listRevisions(deps: ManageDeps, name: string): Promise<RevisionView[]> {
  const api = await requireApi(deps.store, name);
  const deployment = await deps.store.apis.getDeployment(api.id);
  const revisions = await deps.store.apis.listRevisions(api.id);
  return revisions.map((r) => toRevisionView(r, deployment?.revision));
}

export async function getRevision(deps: ManageDeps, name: string, revision: number): Promise<RevisionView> {
  const api = await requireApi(deps.store, name);
  const found = await requireRevision(deps.store, api, revision);
  const deployment = await deps.store.apis.getDeployment(api.id);
  return toRevisionView(found, deployment?.revision);
}

export async function deployRevision(deps: ManageDeps, actor: Actor, name: string, revision: number): Promise<DeploymentView> {
  const now = deps.clock.now();
  const view = await deps.store.transaction(async (tx) => {
    const api = await requireApi(tx, name);
    const found = await requireRevision(tx, api, revision);
    deps.checkDeployable?.(found.spec, revision);
    const basePath = found.spec.basePath;
    const holder = await tx.apis.getDeploymentByBasePath(basePath);
    if (holder && holder.apiId !== api.id) throw basePathConflict(basePath, holder.apiName);
    try {
      await tx.apis.deploy({ apiId: api.id, revision, basePath, deployedAt: now, deployedBy: actor.name });
    } catch (error) {
      // A concurrent deploy took the base path between our check and our write.
      if (error instanceof UniqueViolation) throw basePathConflict(basePath, 'another API');
      throw error;
    }
    await audit(tx, deps, actor, 'api.deploy', 'api', name, { revision, basePath });
    return { api: name, revision, basePath, deployedAt: iso(now), deployedBy: actor.name };
  });
  await deps.changes.emit({ kind: 'deployment', name });
  return view;
}

export async function getDeployment(deps: ManageDeps, name: string): Promise<DeploymentView> {
  const api = await requireApi(deps.store, name);
  const deployment = await deps.store.apis.getDeployment(api.id);
  if (!deployment) throw new GatehouseError('api.not_deployed', `API '${name}' is not deployed.`);
  return { api: name, revision: deployment.revision, basePath: deployment.basePath, deployedAt: iso(deployment.deployedAt), deployedBy: deployment.deployedBy };
}

export async function undeployApi(deps: ManageDeps, actor: Actor, name: string): Promise<void> {
  await deps.store.transaction(async (tx) => {
    const api = await requireApi(tx, name);
    const deployment = await tx.apis.getDeployment(api.id);
    if (!deployment) throw new GatehouseError('api.not_deployed', `API '${name}' is not deployed.`);
    await tx.apis.undeploy(api.id);
    await audit(tx, deps, actor, 'api.undeploy', 'api', name, { revision: deployment.revision });
  });
  await deps.changes.emit({ kind: 'deployment', name });
}

function basePathConflict(basePath: string, holder: string): GatehouseError {
  return new GatehouseError('api.base_path_conflict', `Base path '${basePath}' is already served by ${holder === 'another API' ? holder : `API '${holder}'`}.`, {
    details: { basePath, api: holder },
  });
}
