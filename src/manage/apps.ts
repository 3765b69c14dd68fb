// App and credential operations: subscriptions with per-product approval, secrets shown once, stored hashed.
import { GatehouseError } from '../errors.ts';
import { jwksProblems } from '../oauth/client-assertion.ts';
import type { AppCreate, AppSpec, AppStatus, AppView, CredentialCreate, CredentialStatus, CredentialView, ImportedCredential, SubscriptionStatus } from '../model/app.ts';
import { iso, type PageOf } from '../model/common.ts';
import { UniqueViolation, type AppRecord, type CredentialProduct, type CredentialRecord, type DeveloperRecord, type PageRequest, type Repositories } from '../store/index.ts';
import { hashSecret, newClientId, newClientSecret, newId, secretMatches } from '../util/secrets.ts';
import { checkVersion, preconditionFailed, sameIdentity, type Versioned } from './guards.ts';
import { audit, type Actor, type ManageDeps } from './context.ts';
import { requireDeveloper } from './developers.ts';
import { jsonEqual } from './equal.ts';

/** Imported secrets are stored with a fast hash, which is safe only when they cannot be guessed. */
export const MIN_IMPORTED_SECRET_LENGTH = 16;

/** Secrets shown once, keyed by client id, to merge into the view that answers the request. */
type ShownSecrets = Map<string, string>;

function credentialView(credential: CredentialRecord, shown?: ShownSecrets): CredentialView {
  const secret = shown?.get(credential.clientId);
  return {
    clientId: credential.clientId,
    ...(secret === undefined ? {} : { clientSecret: secret }),
    status: credential.status,
    issuedAt: iso(credential.issuedAt),
    expiresAt: credential.expiresAt === null ? null : iso(credential.expiresAt),
    products: credential.products.map((p) => ({ name: p.name, status: p.status })),
  };
}

async function toView(tx: Repositories, developer: DeveloperRecord, app: AppRecord, shown?: ShownSecrets): Promise<AppView> {
  const credentials = await tx.credentials.listForApp(app.id);
  return {
    ...app.spec,
    id: app.id,
    developer: developer.email,
    status: app.status,
    credentials: credentials.map((c) => credentialView(c, shown)),
    createdAt: iso(app.createdAt),
    updatedAt: iso(app.updatedAt),
  };
}

async function requireApp(tx: Repositories, email: string, name: string): Promise<{ developer: DeveloperRecord; app: AppRecord }> {
  const developer = await requireDeveloper(tx, email);
  const app = await tx.apps.get(developer.id, name);
  if (!app) throw new GatehouseError('app.not_found', `Developer '${email}' has no app named '${name}'.`);
  return { developer, app };
}

async function requireCredential(tx: Repositories, app: AppRecord, clientId: string): Promise<CredentialRecord> {
  const credential = await tx.credentials.getByClientId(clientId);
  if (!credential || credential.appId !== app.id) {
    throw new GatehouseError('credential.not_found', `App '${app.name}' has no credential with client id '${clientId}'.`);
  }
  return credential;
}

/** The status a new subscription starts in: approved, or pending for manual-approval products. */
async function initialStatuses(tx: Repositories, names: readonly string[]): Promise<CredentialProduct[]> {
  const missing: string[] = [];
  const result: CredentialProduct[] = [];
  for (const name of names) {
    const product = await tx.products.get(name);
    if (!product) missing.push(name);
    else result.push({ name, status: product.spec.approval === 'manual' ? 'pending' : 'approved' });
  }
  if (missing.length > 0) {
    throw new GatehouseError('app.unknown_product', `${missing.map((m) => `'${m}'`).join(', ')} ${missing.length === 1 ? 'is not a product' : 'are not products'}.`, {
      details: { products: missing },
    });
  }
  return result;
}

function parseExpiry(expiresAt: string | undefined): number | null {
  if (expiresAt === undefined) return null;
  const ms = Date.parse(expiresAt);
  if (Number.isNaN(ms)) {
    throw new GatehouseError('request.invalid', `'${expiresAt}' is not an ISO 8601 date and time.`, { details: { errors: [{ path: '/expiresAt', message: 'must be an ISO 8601 date and time' }] } });
  }
  return ms;
}

function checkImportedSecret(secret: string): void {
  if (secret.length < MIN_IMPORTED_SECRET_LENGTH) {
    throw new GatehouseError('credential.secret_too_short', `The client secret has ${secret.length} characters; imported secrets need at least ${MIN_IMPORTED_SECRET_LENGTH}.`);
  }
}

/**
 * A `private_key_jwt` app needs keys, and every key an app registers must be a public key client assertions can be
 * verified with (RFC 7523, RFC 7517): checked on write, so that a key set that is saved works at the token endpoint.
 */
function checkClientKeys(spec: AppSpec): void {
  const keys = spec.jwks?.keys ?? [];
  if (spec.tokenEndpointAuthMethod === 'private_key_jwt' && keys.length === 0) {
    throw new GatehouseError('app.invalid_jwks', 'An app with tokenEndpointAuthMethod private_key_jwt needs jwks: the public keys its client signs assertions with.', {
      details: { errors: [{ path: '/jwks', message: 'is required with tokenEndpointAuthMethod private_key_jwt' }] },
    });
  }
  const problems = jwksProblems(keys);
  if (problems.length > 0) {
    throw new GatehouseError('app.invalid_jwks', `The app's jwks cannot be used: ${problems.map((p) => p.message).join('; ')}.`, {
      details: { errors: problems.map((p) => ({ path: `/jwks${p.path}`, message: p.message })) },
    });
  }
}

async function insertCredential(
  tx: Repositories,
  deps: ManageDeps,
  app: AppRecord,
  input: { clientId?: string | undefined; clientSecret?: string | undefined; expiresAt?: string | undefined },
  products: CredentialProduct[],
  shown: ShownSecrets,
): Promise<CredentialRecord> {
  if (input.clientSecret !== undefined) checkImportedSecret(input.clientSecret);
  const clientId = input.clientId ?? newClientId();
  const secret = input.clientSecret ?? newClientSecret();
  const credential: CredentialRecord = {
    id: newId(),
    appId: app.id,
    clientId,
    secretHash: hashSecret(secret),
    status: 'approved',
    issuedAt: deps.clock.now(),
    expiresAt: parseExpiry(input.expiresAt),
    products,
  };
  try {
    await tx.credentials.insert(credential);
  } catch (error) {
    if (error instanceof UniqueViolation) throw new GatehouseError('credential.exists', `Client id '${clientId}' is already in use.`);
    throw error;
  }
  // Only a secret Gatehouse made is shown: an imported one is already known to whoever sent it.
  if (input.clientSecret === undefined) shown.set(clientId, secret);
  return credential;
}

export async function createApp(deps: ManageDeps, actor: Actor, email: string, input: AppCreate): Promise<Versioned<AppView>> {
  const { credentials: imported, ...spec } = input;
  checkClientKeys(spec);
  const now = deps.clock.now();
  const shown: ShownSecrets = new Map();
  const view = await deps.store.transaction(async (tx) => {
    const developer = await requireDeveloper(tx, email);
    const app: AppRecord = { id: newId(), developerId: developer.id, name: spec.name, spec, status: 'approved', version: 1, createdAt: now, updatedAt: now };
    try {
      await tx.apps.insert(app);
    } catch (error) {
      if (error instanceof UniqueViolation) throw new GatehouseError('app.exists', `Developer '${email}' already has an app named '${spec.name}'.`);
      throw error;
    }
    const products = await initialStatuses(tx, spec.products ?? []);
    const wanted: Array<ImportedCredential | Record<string, never>> = imported ?? [{}];
    for (const credential of wanted) await insertCredential(tx, deps, app, credential, products, shown);
    await audit(tx, deps, actor, 'app.create', 'app', `${email}/${spec.name}`, {
      products: spec.products ?? [],
      credentials: imported ? imported.map((c) => c.clientId) : 'generated',
    });
    return toView(tx, developer, app, shown);
  });
  await deps.changes.emit({ kind: 'app', name: `${email}/${spec.name}` });
  return { view, version: 1 };
}

export async function getApp(deps: ManageDeps, email: string, name: string): Promise<Versioned<AppView>> {
  const { developer, app } = await requireApp(deps.store, email, name);
  return { view: await toView(deps.store, developer, app), version: app.version };
}

export async function listApps(deps: ManageDeps, email: string, page: PageRequest): Promise<PageOf<AppView>> {
  const developer = await requireDeveloper(deps.store, email);
  const result = await deps.store.apps.listForDeveloper(developer.id, page);
  return { items: await Promise.all(result.items.map((a) => toView(deps.store, developer, a))), nextCursor: result.nextCursor };
}

/**
 * Saves an app's spec. Its `products` apply to every credential: products added start approved (or pending
 * for manual approval), products kept keep their status, products dropped are removed.
 */
export async function updateApp(
  deps: ManageDeps,
  actor: Actor,
  email: string,
  name: string,
  spec: AppSpec,
  expectedVersion?: number | null,
): Promise<Versioned<AppView>> {
  sameIdentity('app', 'name', name, spec.name);
  checkClientKeys(spec);
  const now = deps.clock.now();
  let changed = false;
  const result = await deps.store.transaction(async (tx) => {
    const { developer, app } = await requireApp(tx, email, name);
    checkVersion(expectedVersion, app.version, `App '${name}'`);
    if (jsonEqual(app.spec, spec)) return { view: await toView(tx, developer, app), version: app.version };
    const next: AppRecord = { ...app, spec, version: app.version + 1, updatedAt: now };
    if (!(await tx.apps.update(next, app.version))) throw preconditionFailed(`App '${name}'`);
    const wanted = spec.products ?? [];
    const fresh = await initialStatuses(tx, wanted);
    for (const credential of await tx.credentials.listForApp(app.id)) {
      const kept = new Map(credential.products.map((p) => [p.name, p.status]));
      const products = fresh.map((p) => ({ name: p.name, status: kept.get(p.name) ?? p.status }));
      if (!jsonEqual(products, credential.products)) await tx.credentials.setProducts(credential.id, products);
    }
    await audit(tx, deps, actor, 'app.update', 'app', `${email}/${name}`, { products: wanted });
    changed = true;
    return { view: await toView(tx, developer, next), version: next.version };
  });
  if (changed) await deps.changes.emit({ kind: 'app', name: `${email}/${name}` });
  return result;
}

export async function setAppStatus(deps: ManageDeps, actor: Actor, email: string, name: string, status: AppStatus): Promise<Versioned<AppView>> {
  const now = deps.clock.now();
  let changed = false;
  const result = await deps.store.transaction(async (tx) => {
    const { developer, app } = await requireApp(tx, email, name);
    if (app.status === status) return { view: await toView(tx, developer, app), version: app.version };
    const next: AppRecord = { ...app, status, version: app.version + 1, updatedAt: now };
    if (!(await tx.apps.update(next, app.version))) throw preconditionFailed(`App '${name}'`);
    await audit(tx, deps, actor, status === 'approved' ? 'app.approve' : 'app.revoke', 'app', `${email}/${name}`);
    changed = true;
    return { view: await toView(tx, developer, next), version: next.version };
  });
  if (changed) await deps.changes.emit({ kind: 'app', name: `${email}/${name}` });
  return result;
}

export async function deleteApp(deps: ManageDeps, actor: Actor, email: string, name: string): Promise<void> {
  const clientIds: string[] = [];
  await deps.store.transaction(async (tx) => {
    const { app } = await requireApp(tx, email, name);
    for (const credential of await tx.credentials.listForApp(app.id)) clientIds.push(credential.clientId);
    await tx.apps.delete(app.id);
    for (const clientId of clientIds) await tx.oauthTokens.revokeForClient(clientId, deps.clock.now());
    await audit(tx, deps, actor, 'app.delete', 'app', `${email}/${name}`);
  });
  await deps.changes.emit({ kind: 'app', name: `${email}/${name}` });
  for (const clientId of clientIds) await deps.changes.emit({ kind: 'credential', name: clientId });
}

export async function createCredential(deps: ManageDeps, actor: Actor, email: string, name: string, input: CredentialCreate): Promise<CredentialView> {
  if ((input.clientId === undefined) !== (input.clientSecret === undefined)) {
    throw new GatehouseError('request.invalid', 'To import a credential send both clientId and clientSecret; to generate one send neither.', {
      details: { errors: [{ path: input.clientId === undefined ? '/clientId' : '/clientSecret', message: 'is required together with the other' }] },
    });
  }
  const shown: ShownSecrets = new Map();
  const view = await deps.store.transaction(async (tx) => {
    const { app } = await requireApp(tx, email, name);
    const products = await initialStatuses(tx, app.spec.products ?? []);
    const credential = await insertCredential(tx, deps, app, input, products, shown);
    await audit(tx, deps, actor, 'credential.create', 'app', `${email}/${name}`, { clientId: credential.clientId, imported: input.clientId !== undefined });
    return credentialView(credential, shown);
  });
  await deps.changes.emit({ kind: 'credential', name: view.clientId });
  return view;
}

/** Replaces the secret of a credential (the client id stays): a generated one shown once, or an imported one. */
export async function regenerateSecret(deps: ManageDeps, actor: Actor, email: string, name: string, clientId: string, clientSecret?: string): Promise<CredentialView> {
  if (clientSecret !== undefined) checkImportedSecret(clientSecret);
  const secret = clientSecret ?? newClientSecret();
  const view = await deps.store.transaction(async (tx) => {
    const { app } = await requireApp(tx, email, name);
    const credential = await requireCredential(tx, app, clientId);
    await tx.credentials.setSecretHash(credential.id, hashSecret(secret));
    await audit(tx, deps, actor, 'credential.regenerate', 'app', `${email}/${name}`, { clientId, imported: clientSecret !== undefined });
    return credentialView(credential, clientSecret === undefined ? new Map([[clientId, secret]]) : undefined);
  });
  await deps.changes.emit({ kind: 'credential', name: clientId });
  return view;
}

/** Tells whether a secret is the credential's, without revealing anything else; used by `apply` to plan. */
export async function checkSecret(deps: ManageDeps, email: string, name: string, clientId: string, clientSecret: string): Promise<boolean> {
  const { app } = await requireApp(deps.store, email, name);
  const credential = await requireCredential(deps.store, app, clientId);
  return secretMatches(clientSecret, credential.secretHash);
}

export async function setCredentialStatus(deps: ManageDeps, actor: Actor, email: string, name: string, clientId: string, status: CredentialStatus): Promise<CredentialView> {
  const view = await deps.store.transaction(async (tx) => {
    const { app } = await requireApp(tx, email, name);
    const credential = await requireCredential(tx, app, clientId);
    if (credential.status !== status) {
      await tx.credentials.setStatus(credential.id, status);
      await audit(tx, deps, actor, status === 'approved' ? 'credential.approve' : 'credential.revoke', 'app', `${email}/${name}`, { clientId });
    }
    return credentialView({ ...credential, status });
  });
  await deps.changes.emit({ kind: 'credential', name: clientId });
  return view;
}

export async function setCredentialProductStatus(
  deps: ManageDeps,
  actor: Actor,
  email: string,
  name: string,
  clientId: string,
  product: string,
  status: SubscriptionStatus,
): Promise<CredentialView> {
  const view = await deps.store.transaction(async (tx) => {
    const { app } = await requireApp(tx, email, name);
    const credential = await requireCredential(tx, app, clientId);
    if (!credential.products.some((p) => p.name === product)) {
      throw new GatehouseError('credential.product_not_found', `Credential '${clientId}' does not carry product '${product}'.`);
    }
    const products = credential.products.map((p) => (p.name === product ? { name: p.name, status } : p));
    await tx.credentials.setProducts(credential.id, products);
    await audit(tx, deps, actor, `credential.product.${status === 'approved' ? 'approve' : 'revoke'}`, 'app', `${email}/${name}`, { clientId, product });
    return credentialView({ ...credential, products });
  });
  await deps.changes.emit({ kind: 'credential', name: clientId });
  return view;
}

export async function deleteCredential(deps: ManageDeps, actor: Actor, email: string, name: string, clientId: string): Promise<void> {
  await deps.store.transaction(async (tx) => {
    const { app } = await requireApp(tx, email, name);
    const credential = await requireCredential(tx, app, clientId);
    await tx.credentials.delete(credential.id);
    await tx.oauthTokens.revokeForClient(clientId, deps.clock.now());
    await audit(tx, deps, actor, 'credential.delete', 'app', `${email}/${name}`, { clientId });
  });
  await deps.changes.emit({ kind: 'credential', name: clientId });
}
