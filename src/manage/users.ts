// Users, personal access tokens, bearer authentication, and the first admin at start-up.
import { GatehouseError } from '../errors.ts';
import { iso, type PageOf } from '../model/common.ts';
import type { PersonalTokenCreate, PersonalTokenView, Role, UserCreate, UserUpdate, UserView } from '../model/user.ts';
import { UniqueViolation, type PageRequest, type PersonalTokenRecord, type Repositories, type UserRecord } from '../store/index.ts';
import { hashPassword, hashSecret, newId, newPersonalToken } from '../util/secrets.ts';
import { checkVersion, preconditionFailed, type Versioned } from './guards.ts';
import { audit, SYSTEM_ACTOR, type Actor, type ManageDeps } from './context.ts';

const DAY_MS = 86_400_000;

function toView(user: UserRecord): UserView {
  return {
    id: user.id,
    email: user.email,
    displayName: user.displayName,
    roles: user.roles,
    status: user.status,
    hasPassword: user.passwordHash !== null,
    createdAt: iso(user.createdAt),
    updatedAt: iso(user.updatedAt),
  };
}

async function requireUser(tx: Repositories, email: string): Promise<UserRecord> {
  const user = await tx.users.getByEmail(email);
  if (!user) throw new GatehouseError('user.not_found', `There is no user with email '${email}'.`);
  return user;
}

export async function createUser(deps: ManageDeps, actor: Actor, input: UserCreate): Promise<Versioned<UserView>> {
  const now = deps.clock.now();
  const user: UserRecord = {
    id: newId(),
    email: input.email,
    displayName: input.displayName ?? null,
    passwordHash: input.password === undefined ? null : await hashPassword(input.password),
    roles: [...input.roles],
    status: input.status ?? 'active',
    version: 1,
    createdAt: now,
    updatedAt: now,
  };
  await deps.store.transaction(async (tx) => {
    try {
      await tx.users.insert(user);
    } catch (error) {
      if (error instanceof UniqueViolation) throw new GatehouseError('user.exists', `A user with email '${input.email}' already exists.`);
      throw error;
    }
    await audit(tx, deps, actor, 'user.create', 'user', user.email, { roles: user.roles });
  });
  await deps.changes.emit({ kind: 'user', name: user.email });
  return { view: toView(user), version: 1 };
}

export async function getUser(deps: ManageDeps, email: string): Promise<Versioned<UserView>> {
  const user = await requireUser(deps.store, email);
  return { view: toView(user), version: user.version };
}

export async function listUsers(deps: ManageDeps, page: PageRequest): Promise<PageOf<UserView>> {
  const result = await deps.store.users.list(page);
  return { items: result.items.map(toView), nextCursor: result.nextCursor };
}

function isActiveAdmin(user: Pick<UserRecord, 'roles' | 'status'>): boolean {
  return user.status === 'active' && user.roles.includes('admin');
}

export async function updateUser(deps: ManageDeps, actor: Actor, email: string, input: UserUpdate, expectedVersion?: number | null): Promise<Versioned<UserView>> {
  const now = deps.clock.now();
  const passwordHash = input.password === undefined ? undefined : await hashPassword(input.password);
  const result = await deps.store.transaction(async (tx) => {
    const current = await requireUser(tx, email);
    checkVersion(expectedVersion, current.version, `User '${email}'`);
    const next: UserRecord = {
      ...current,
      displayName: input.displayName ?? current.displayName,
      roles: input.roles ? [...input.roles] : current.roles,
      status: input.status ?? current.status,
      passwordHash: passwordHash ?? current.passwordHash,
      version: current.version + 1,
      updatedAt: now,
    };
    if (isActiveAdmin(current) && !isActiveAdmin(next) && (await tx.users.countActiveAdmins()) <= 1) {
      throw new GatehouseError('user.last_admin', `'${email}' is the last active admin; make another user an admin first.`);
    }
    if (!(await tx.users.update(next, current.version))) throw preconditionFailed(`User '${email}'`);
    // A new password or a deactivation signs the user out of the console and the hub everywhere.
    if (input.password !== undefined || next.status !== 'active') await tx.sessions.deleteForUser(current.id);
    await audit(tx, deps, actor, 'user.update', 'user', email, {
      ...(input.roles ? { roles: input.roles } : {}),
      ...(input.status ? { status: input.status } : {}),
      ...(input.password !== undefined ? { password: 'changed' } : {}),
    });
    return { view: toView(next), version: next.version };
  });
  await deps.changes.emit({ kind: 'user', name: email });
  return result;
}

export async function deleteUser(deps: ManageDeps, actor: Actor, email: string): Promise<void> {
  await deps.store.transaction(async (tx) => {
    const user = await requireUser(tx, email);
    if (isActiveAdmin(user) && (await tx.users.countActiveAdmins()) <= 1) {
      throw new GatehouseError('user.last_admin', `'${email}' is the last active admin; make another user an admin first.`);
    }
    await tx.users.delete(user.id);
    await audit(tx, deps, actor, 'user.delete', 'user', email);
  });
  await deps.changes.emit({ kind: 'user', name: email });
}

function tokenView(token: PersonalTokenRecord, secret?: string): PersonalTokenView {
  return {
    id: token.id,
    name: token.name,
    createdAt: iso(token.createdAt),
    expiresAt: token.expiresAt === null ? null : iso(token.expiresAt),
    ...(secret === undefined ? {} : { token: secret }),
  };
}

function requireUserActor(actor: Actor): string {
  if (!actor.userId) throw new GatehouseError('auth.forbidden', 'Personal access tokens belong to users; the system actor has none.');
  return actor.userId;
}

export async function createPersonalToken(deps: ManageDeps, actor: Actor, input: PersonalTokenCreate): Promise<PersonalTokenView> {
  const userId = requireUserActor(actor);
  const now = deps.clock.now();
  const secret = newPersonalToken();
  const token: PersonalTokenRecord = {
    id: newId(),
    userId,
    name: input.name,
    tokenHash: hashSecret(secret),
    createdAt: now,
    expiresAt: input.expiresInDays === undefined ? null : now + input.expiresInDays * DAY_MS,
  };
  await deps.store.transaction(async (tx) => {
    await tx.personalTokens.insert(token);
    await audit(tx, deps, actor, 'token.create', 'user', actor.name, { tokenId: token.id, name: token.name });
  });
  return tokenView(token, secret);
}

export async function listPersonalTokens(deps: ManageDeps, actor: Actor): Promise<PersonalTokenView[]> {
  const userId = requireUserActor(actor);
  return (await deps.store.personalTokens.listForUser(userId)).map((t) => tokenView(t));
}

export async function deletePersonalToken(deps: ManageDeps, actor: Actor, id: string): Promise<void> {
  const userId = requireUserActor(actor);
  await deps.store.transaction(async (tx) => {
    if (!(await tx.personalTokens.delete(userId, id))) throw new GatehouseError('token.not_found', `You have no personal access token with id '${id}'.`);
    await audit(tx, deps, actor, 'token.delete', 'user', actor.name, { tokenId: id });
  });
}

/** Resolves a bearer token to the acting user; throws 401 errors for anything that does not check out. */
export async function authenticate(deps: ManageDeps, token: string): Promise<Actor & { user: UserRecord; token: PersonalTokenRecord }> {
  const found = await deps.store.personalTokens.getByHash(hashSecret(token));
  if (!found) throw new GatehouseError('auth.invalid_token', 'The bearer token is not known.');
  if (found.expiresAt !== null && found.expiresAt <= deps.clock.now()) {
    throw new GatehouseError('auth.invalid_token', `The bearer token '${found.name}' expired at ${iso(found.expiresAt)}.`);
  }
  const user = await deps.store.users.getById(found.userId);
  if (!user || user.status !== 'active') throw new GatehouseError('auth.invalid_token', 'The bearer token belongs to a user who is not active.');
  return { name: user.email, userId: user.id, roles: user.roles, user, token: found };
}

export const BOOTSTRAP_ADMIN_EMAIL = 'admin@gatehouse.local';
export const BOOTSTRAP_TOKEN_NAME = 'bootstrap';

export interface BootstrapResult {
  /** The admin whose token this is. */
  email: string;
  /** A token made now, to print once; absent when the configured token was used or users already existed. */
  printedToken?: string;
  /** What happened, for the start-up log. */
  outcome: 'configured-token' | 'created-admin' | 'existing-users';
}

/**
 * Makes sure someone can administer Gatehouse. With a configured admin token, that token becomes the bootstrap
 * admin's (replacing an earlier one). Without one, a first start creates an admin and a token to print once.
 */
export async function bootstrapAdmin(deps: ManageDeps, configuredToken: string | undefined): Promise<BootstrapResult> {
  const now = deps.clock.now();
  return deps.store.transaction(async (tx) => {
    let admin = await tx.users.getByEmail(BOOTSTRAP_ADMIN_EMAIL);
    const anyUser = (await tx.users.list({ limit: 1 })).items.length > 0;
    if (!configuredToken && anyUser) return { email: admin?.email ?? '', outcome: 'existing-users' as const };
    if (!admin) {
      admin = {
        id: newId(),
        email: BOOTSTRAP_ADMIN_EMAIL,
        displayName: 'Bootstrap admin',
        passwordHash: null,
        roles: ['admin'] satisfies Role[],
        status: 'active',
        version: 1,
        createdAt: now,
        updatedAt: now,
      };
      await tx.users.insert(admin);
      await audit(tx, deps, SYSTEM_ACTOR, 'user.create', 'user', admin.email, { roles: admin.roles, bootstrap: true });
    }
    const secret = configuredToken ?? newPersonalToken();
    await tx.personalTokens.deleteByName(admin.id, BOOTSTRAP_TOKEN_NAME);
    await tx.personalTokens.insert({ id: newId(), userId: admin.id, name: BOOTSTRAP_TOKEN_NAME, tokenHash: hashSecret(secret), createdAt: now, expiresAt: null });
    return configuredToken
      ? { email: admin.email, outcome: 'configured-token' as const }
      : { email: admin.email, printedToken: secret, outcome: 'created-admin' as const };
  });
}
