// A signed-in account's workspace: its developer profile (made on first use), why it may not create apps when it
// may not, and its apps through the manage operations, always addressed by the account's own email.
import { GatehouseError } from '../errors.ts';
import { createApp, deleteApp, getApp, listApps, regenerateSecret, updateApp } from '../manage/apps.ts';
import type { ManageDeps } from '../manage/context.ts';
import { createDeveloper } from '../manage/developers.ts';
import type { Versioned } from '../manage/guards.ts';
import type { SessionActor } from '../manage/sessions.ts';
import type { AppSpec, AppView, CredentialView } from '../model/app.ts';
import type { HubAppCreate, HubAppUpdate, HubAppView, HubSessionExtras, SignupMode, WorkspaceRefusal } from '../model/hub.ts';
import type { DeveloperRecord, UserRecord } from '../store/index.ts';
import { apisOfProducts, inCatalogue, productSpecs } from './catalogue.ts';
import { issuesTokens, tokenEndpoints } from '../gateway/oauth-endpoints.ts';

/** A developer at work: the session's actor and the developer profile that is theirs (same email). */
export interface Workspace {
  readonly actor: SessionActor;
  readonly developer: DeveloperRecord;
  /** The developer's email: the only one the workspace ever passes to the manage operations. */
  readonly email: string;
}

export interface Refusal {
  readonly code: WorkspaceRefusal;
  readonly reason: string;
}

const WHERE_ROLES = 'in the console under Users';

/**
 * Why an account may not create apps, in words that say what to do (the seed's stumbling block: on SAP, saving an
 * app without the developer role fails with no hint why); undefined when it may.
 */
export function refusalFor(user: Pick<UserRecord, 'email' | 'roles'>, signup: SignupMode, developer: Pick<DeveloperRecord, 'status'> | undefined): Refusal | undefined {
  if (!user.roles.includes('developer')) {
    if (user.roles.length === 0 && signup === 'approval') {
      return {
        code: 'hub.approval_pending',
        reason: `Your account (${user.email}) is waiting for an administrator's approval. Once a Gatehouse administrator adds the developer role ${WHERE_ROLES}, you can create apps here.`,
      };
    }
    const has = user.roles.length === 0 ? 'has no roles yet' : `has the role${user.roles.length === 1 ? '' : 's'} ${user.roles.join(', ')}`;
    return {
      code: 'hub.developer_role_required',
      reason: `Creating apps needs the developer role. Your account (${user.email}) ${has}. Ask a Gatehouse administrator to add the developer role ${WHERE_ROLES}.`,
    };
  }
  if (developer && developer.status !== 'active') {
    return {
      code: 'hub.developer_inactive',
      reason: `Your developer profile (${user.email}) is inactive: you cannot create or change apps, and your apps' keys and tokens do not work. Ask a Gatehouse administrator to activate it in the console under Developers.`,
    };
  }
  return undefined;
}

/** The developer profile of an account: the one with its email (emails are unique, and a user's never changes). */
export async function developerOf(deps: ManageDeps, user: Pick<UserRecord, 'email'>): Promise<DeveloperRecord | undefined> {
  return deps.store.developers.getByEmail(user.email);
}

/** First and last name from a display name: the last word is the last name; one word serves as both. */
export function namesOf(displayName: string | null, email: string): { firstName: string; lastName: string } {
  const words = (displayName ?? '').trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) {
    const local = email.split('@')[0] || email;
    return { firstName: local.slice(0, 100), lastName: local.slice(0, 100) };
  }
  if (words.length === 1) return { firstName: words[0]!.slice(0, 100), lastName: words[0]!.slice(0, 100) };
  return { firstName: words.slice(0, -1).join(' ').slice(0, 100), lastName: words[words.length - 1]!.slice(0, 100) };
}

/** The account's developer profile, made now when an account with the developer role has none yet. */
export async function ensureDeveloper(deps: ManageDeps, actor: SessionActor): Promise<DeveloperRecord> {
  const existing = await developerOf(deps, actor.user);
  if (existing) return existing;
  try {
    await createDeveloper(deps, actor, { email: actor.user.email, ...namesOf(actor.user.displayName, actor.user.email) }, { userId: actor.user.id });
  } catch (error) {
    // Two first requests at once: the other one made it.
    if (!(error instanceof GatehouseError && error.code === 'developer.exists')) throw error;
  }
  const made = await developerOf(deps, actor.user);
  if (!made) throw new GatehouseError('internal', `The developer profile of ${actor.user.email} could not be read back.`);
  return made;
}

/** The session view's hub fields. Reads only: the developer profile is made on first use of the workspace. */
export async function sessionExtras(deps: ManageDeps, signup: SignupMode, actor: SessionActor | undefined): Promise<HubSessionExtras> {
  if (!actor) return { signup, developer: null, canCreateApps: false };
  const developer = await developerOf(deps, actor.user);
  const refusal = refusalFor(actor.user, signup, developer);
  return {
    signup,
    developer: developer ? { email: developer.email, status: developer.status } : null,
    canCreateApps: refusal === undefined,
    ...(refusal ? { reason: refusal.reason, reasonCode: refusal.code } : {}),
  };
}

/**
 * The workspace of a signed-in account, or the refusal as a 403. `change`: the request creates or changes something,
 * which an inactive developer may not (reading and deleting their own apps stays possible).
 */
export async function openWorkspace(deps: ManageDeps, signup: SignupMode, actor: SessionActor, change: boolean): Promise<Workspace> {
  const roleRefusal = refusalFor(actor.user, signup, undefined);
  if (roleRefusal) throw new GatehouseError(roleRefusal.code, roleRefusal.reason);
  const developer = await ensureDeveloper(deps, actor);
  const refusal = refusalFor(actor.user, signup, developer);
  if (refusal && change) throw new GatehouseError(refusal.code, refusal.reason);
  return { actor, developer, email: developer.email };
}

function credentialOf(credential: CredentialView): CredentialView {
  return { ...credential, products: credential.products.map((p) => ({ name: p.name, status: p.status })) };
}

/** An app as its developer sees it: no internal id, no administrator-set attributes; its APIs as callers reach them. */
export async function hubAppView(deps: ManageDeps, app: AppView, gatewayUrl: string): Promise<HubAppView> {
  const origin = gatewayUrl.replace(/\/+$/, '');
  const deployed = (await apisOfProducts(deps.store, await productSpecs(deps.store, app.products ?? []))).filter((api) => api.deployed);
  const tokenUrl = tokenEndpoints(deployed, origin).find((e) => e.grantTypes.includes('client_credentials'))?.url ?? null;
  return {
    name: app.name,
    ...(app.displayName === undefined ? {} : { displayName: app.displayName }),
    ...(app.description === undefined ? {} : { description: app.description }),
    callbackUrls: app.callbackUrls ?? [],
    publicClient: app.tokenEndpointAuthMethod === 'none',
    products: app.products ?? [],
    status: app.status,
    credentials: app.credentials.map(credentialOf),
    apis: deployed.map((api) => ({
      name: api.name,
      ...(api.spec.displayName === undefined ? {} : { displayName: api.spec.displayName }),
      basePath: api.spec.basePath,
      url: `${origin}${api.spec.basePath}`,
      issuesTokens: issuesTokens(api.spec),
    })),
    tokenUrl,
    createdAt: app.createdAt,
    updatedAt: app.updatedAt,
  };
}

/** Products a developer may add: those of the catalogue. Ones the app holds already (an administrator's) may stay. */
async function checkSubscribable(deps: ManageDeps, wanted: readonly string[], held: readonly string[]): Promise<void> {
  const refused: string[] = [];
  for (const name of wanted) {
    if (held.includes(name)) continue;
    const product = await deps.store.products.get(name);
    if (!product || !inCatalogue(product.spec)) refused.push(name);
  }
  if (refused.length > 0) {
    const list = refused.map((name) => `'${name}'`).join(', ');
    throw new GatehouseError('app.unknown_product', `${list} ${refused.length === 1 ? 'is not a product' : 'are not products'} of the catalogue.`, {
      details: { products: refused },
    });
  }
}

function hubFields(body: HubAppUpdate): Pick<AppSpec, 'displayName' | 'description' | 'callbackUrls' | 'products'> {
  return {
    ...(body.displayName === undefined ? {} : { displayName: body.displayName }),
    ...(body.description === undefined ? {} : { description: body.description }),
    ...(body.callbackUrls === undefined ? {} : { callbackUrls: body.callbackUrls }),
    products: body.products,
  };
}

/** Every app of the developer (a developer has few; pages of 500 are read until the last). */
export async function listWorkspaceApps(deps: ManageDeps, ws: Workspace, gatewayUrl: string): Promise<HubAppView[]> {
  const apps: HubAppView[] = [];
  let cursor: string | undefined;
  do {
    const page = await listApps(deps, ws.email, { limit: 500, cursor });
    apps.push(...(await Promise.all(page.items.map((app) => hubAppView(deps, app, gatewayUrl)))));
    cursor = page.nextCursor ?? undefined;
  } while (cursor !== undefined);
  return apps;
}

export async function getWorkspaceApp(deps: ManageDeps, ws: Workspace, name: string, gatewayUrl: string): Promise<Versioned<HubAppView>> {
  const { view, version } = await getApp(deps, ws.email, name);
  return { view: await hubAppView(deps, view, gatewayUrl), version };
}

/** Creates the app with one generated credential; its secret is in this answer only. */
export async function createWorkspaceApp(deps: ManageDeps, ws: Workspace, body: HubAppCreate, gatewayUrl: string): Promise<Versioned<HubAppView>> {
  await checkSubscribable(deps, body.products, []);
  const { view, version } = await createApp(deps, ws.actor, ws.email, { name: body.name, ...hubFields(body), ...(body.publicClient === true ? { tokenEndpointAuthMethod: 'none' as const } : {}) });
  return { view: await hubAppView(deps, view, gatewayUrl), version };
}

/** Replaces what a developer may edit; what an administrator set (attributes, the password grant) stays. */
export async function updateWorkspaceApp(
  deps: ManageDeps,
  ws: Workspace,
  name: string,
  body: HubAppUpdate,
  expectedVersion: number | null | undefined,
  gatewayUrl: string,
): Promise<Versioned<HubAppView>> {
  const { view: current } = await getApp(deps, ws.email, name);
  await checkSubscribable(deps, body.products, current.products ?? []);
  // A developer turns the public client on or off; a method an administrator chose (private_key_jwt) stays unless made public.
  const method = body.publicClient === undefined ? current.tokenEndpointAuthMethod : body.publicClient ? 'none' : current.tokenEndpointAuthMethod === 'none' ? undefined : current.tokenEndpointAuthMethod;
  const spec: AppSpec = {
    name: current.name,
    ...hubFields(body),
    ...(current.allowPasswordGrant === undefined ? {} : { allowPasswordGrant: current.allowPasswordGrant }),
    ...(method === undefined ? {} : { tokenEndpointAuthMethod: method }),
    ...(current.jwks === undefined ? {} : { jwks: current.jwks }),
    ...(current.attributes === undefined ? {} : { attributes: current.attributes }),
  };
  const { view, version } = await updateApp(deps, ws.actor, ws.email, name, spec, expectedVersion);
  return { view: await hubAppView(deps, view, gatewayUrl), version };
}

export async function deleteWorkspaceApp(deps: ManageDeps, ws: Workspace, name: string): Promise<void> {
  await deleteApp(deps, ws.actor, ws.email, name);
}

/** A new secret for one of the app's credentials, shown in this answer only; the old one stops working at once. */
export async function regenerateWorkspaceSecret(deps: ManageDeps, ws: Workspace, name: string, clientId: string): Promise<CredentialView> {
  return credentialOf(await regenerateSecret(deps, ws.actor, ws.email, name, clientId));
}
