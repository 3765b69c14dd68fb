// Developer operations: profiles, activation, deletion (which takes their apps along, as in Apigee).
import { GatehouseError } from '../errors.ts';
import { iso, type PageOf } from '../model/common.ts';
import type { DeveloperSpec, DeveloperStatus, DeveloperView } from '../model/developer.ts';
import { UniqueViolation, type DeveloperRecord, type PageRequest, type Repositories } from '../store/index.ts';
import { newId } from '../util/secrets.ts';
import { checkVersion, preconditionFailed, sameIdentity, type Versioned } from './guards.ts';
import { audit, type Actor, type ManageDeps } from './context.ts';
import { jsonEqual } from './equal.ts';

async function toView(tx: Repositories, developer: DeveloperRecord): Promise<DeveloperView> {
  return {
    ...developer.spec,
    id: developer.id,
    status: developer.status,
    apps: await tx.apps.namesForDeveloper(developer.id),
    createdAt: iso(developer.createdAt),
    updatedAt: iso(developer.updatedAt),
  };
}

export async function requireDeveloper(tx: Repositories, email: string): Promise<DeveloperRecord> {
  const developer = await tx.developers.getByEmail(email);
  if (!developer) throw new GatehouseError('developer.not_found', `There is no developer with email '${email}'.`);
  return developer;
}

export async function createDeveloper(
  deps: ManageDeps,
  actor: Actor,
  spec: DeveloperSpec,
  options: { userId?: string | null } = {},
): Promise<Versioned<DeveloperView>> {
  const now = deps.clock.now();
  const developer: DeveloperRecord = {
    id: newId(),
    email: spec.email,
    spec,
    status: 'active',
    userId: options.userId ?? null,
    version: 1,
    createdAt: now,
    updatedAt: now,
  };
  const view = await deps.store.transaction(async (tx) => {
    try {
      await tx.developers.insert(developer);
    } catch (error) {
      if (error instanceof UniqueViolation) throw new GatehouseError('developer.exists', `A developer with email '${spec.email}' already exists.`);
      throw error;
    }
    await audit(tx, deps, actor, 'developer.create', 'developer', spec.email);
    return toView(tx, developer);
  });
  await deps.changes.emit({ kind: 'developer', name: spec.email });
  return { view, version: 1 };
}

export async function getDeveloper(deps: ManageDeps, email: string): Promise<Versioned<DeveloperView>> {
  const developer = await requireDeveloper(deps.store, email);
  return { view: await toView(deps.store, developer), version: developer.version };
}

export async function listDevelopers(deps: ManageDeps, page: PageRequest): Promise<PageOf<DeveloperView>> {
  const result = await deps.store.developers.list(page);
  return { items: await Promise.all(result.items.map((d) => toView(deps.store, d))), nextCursor: result.nextCursor };
}

export async function updateDeveloper(
  deps: ManageDeps,
  actor: Actor,
  email: string,
  spec: DeveloperSpec,
  expectedVersion?: number | null,
): Promise<Versioned<DeveloperView>> {
  sameIdentity('developer', 'email', email, spec.email);
  return saveDeveloper(deps, actor, email, expectedVersion, (current) => (jsonEqual(current.spec, spec) ? undefined : { spec }), 'developer.update');
}

export async function setDeveloperStatus(deps: ManageDeps, actor: Actor, email: string, status: DeveloperStatus): Promise<Versioned<DeveloperView>> {
  return saveDeveloper(deps, actor, email, undefined, (current) => (current.status === status ? undefined : { status }), status === 'active' ? 'developer.activate' : 'developer.deactivate');
}

async function saveDeveloper(
  deps: ManageDeps,
  actor: Actor,
  email: string,
  expectedVersion: number | null | undefined,
  change: (current: DeveloperRecord) => Partial<DeveloperRecord> | undefined,
  action: string,
): Promise<Versioned<DeveloperView>> {
  const now = deps.clock.now();
  let changed = false;
  const result = await deps.store.transaction(async (tx) => {
    const current = await requireDeveloper(tx, email);
    checkVersion(expectedVersion, current.version, `Developer '${email}'`);
    const patch = change(current);
    if (!patch) return { view: await toView(tx, current), version: current.version };
    const next: DeveloperRecord = { ...current, ...patch, version: current.version + 1, updatedAt: now };
    if (!(await tx.developers.update(next, current.version))) throw preconditionFailed(`Developer '${email}'`);
    await audit(tx, deps, actor, action, 'developer', email, patch.status ? { status: patch.status } : {});
    changed = true;
    return { view: await toView(tx, next), version: next.version };
  });
  if (changed) await deps.changes.emit({ kind: 'developer', name: email });
  return result;
}

export async function deleteDeveloper(deps: ManageDeps, actor: Actor, email: string): Promise<void> {
  const clientIds: string[] = [];
  await deps.store.transaction(async (tx) => {
    const developer = await requireDeveloper(tx, email);
    for (const appName of await tx.apps.namesForDeveloper(developer.id)) {
      const app = await tx.apps.get(developer.id, appName);
      if (app) for (const c of await tx.credentials.listForApp(app.id)) clientIds.push(c.clientId);
    }
    await tx.developers.delete(developer.id);
    for (const clientId of clientIds) await tx.oauthTokens.revokeForClient(clientId, deps.clock.now());
    await audit(tx, deps, actor, 'developer.delete', 'developer', email);
  });
  await deps.changes.emit({ kind: 'developer', name: email });
  for (const clientId of clientIds) await deps.changes.emit({ kind: 'credential', name: clientId });
}
