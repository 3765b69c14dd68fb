// Sign-in sessions of the admin console and the developer hub: sign in with email and password, resolve a session
// cookie to the acting user, sign out. The cookie holds a random token; the store keeps only its SHA-256.
import { createHash } from 'node:crypto';
import { GatehouseError } from '../errors.ts';
import type { SessionRecord, SessionSurface, UserRecord } from '../store/index.ts';
import { hashSecret, newId, passwordMatches, randomToken } from '../util/secrets.ts';
import type { Actor, ManageDeps } from './context.ts';
import { authenticate } from './users.ts';

/** How long a session lasts from sign-in (a working day and a half); signing out or a password change ends it sooner. */
export const SESSION_LIFETIME_MS = 12 * 60 * 60 * 1000;

export interface SignedIn {
  /** The cookie's value; shown to nobody, stored only as a hash. */
  token: string;
  session: SessionRecord;
  user: UserRecord;
}

export type SessionActor = Actor & { user: UserRecord; session: SessionRecord };

/** A session token: 32 random bytes; the prefix makes a leaked one easy to recognise. */
function newSessionToken(): string {
  return `ghs_${randomToken(32)}`;
}

/**
 * The CSRF token of a session: derived from the session token, so it needs no storage, and readable only by
 * pages of the same origin (they get it from the session endpoint). Changes must echo it in `x-csrf-token`.
 */
export function csrfTokenFor(sessionToken: string): string {
  return createHash('sha256').update(`gatehouse-csrf\u0000${sessionToken}`, 'utf8').digest('base64url');
}

/**
 * Checks email and password and opens a session. Every failure (unknown email, wrong password, no password,
 * inactive user) gives the same answer and costs the same scrypt, so the answer does not tell which users exist.
 * `admit` may refuse a user who signed in correctly (the console refuses developer-only accounts).
 */
export async function signIn(
  deps: ManageDeps,
  surface: SessionSurface,
  email: string,
  password: string,
  admit: (user: UserRecord) => void = () => {},
): Promise<SignedIn> {
  const found = await deps.store.users.getByEmail(email.trim());
  const usable = found && found.status === 'active' ? found : undefined;
  const matches = await passwordMatches(password, usable?.passwordHash);
  if (!usable || !matches) throw new GatehouseError('auth.invalid_credentials', 'The email or the password is wrong, or the account is not active.');
  return openSession(deps, surface, usable, admit);
}

/**
 * Opens a session for the owner of a personal access token: how the first admin, who has a token and no password,
 * gets into the console (Kong Manager does the same with an RBAC token).
 */
export async function signInWithToken(deps: ManageDeps, surface: SessionSurface, token: string, admit: (user: UserRecord) => void = () => {}): Promise<SignedIn> {
  const actor = await authenticate(deps, token).catch(() => {
    throw new GatehouseError('auth.invalid_credentials', 'The access token is unknown or expired, or its account is not active.');
  });
  return openSession(deps, surface, actor.user, admit, { id: actor.token.id, expiresAt: actor.token.expiresAt });
}

async function openSession(
  deps: ManageDeps,
  surface: SessionSurface,
  usable: UserRecord,
  admit: (user: UserRecord) => void,
  viaToken?: { id: string; expiresAt: number | null },
): Promise<SignedIn> {
  admit(usable);
  const now = deps.clock.now();
  const token = newSessionToken();
  // A session never outlives the token it was opened with.
  const expiresAt = Math.min(now + SESSION_LIFETIME_MS, viaToken?.expiresAt ?? Number.POSITIVE_INFINITY);
  const session: SessionRecord = { id: newId(), userId: usable.id, tokenHash: hashSecret(token), surface, tokenId: viaToken?.id ?? null, createdAt: now, expiresAt };
  await deps.store.sessions.insert(session);
  // Sign-ins are rare: a good moment to sweep sessions that ended long ago.
  await deps.store.sessions.deleteExpired(now - SESSION_LIFETIME_MS);
  return { token, session, user: usable };
}

/** The user a session token signs in, or undefined when it is unknown, expired, of another surface, or its user is inactive. */
export async function sessionActor(deps: ManageDeps, surface: SessionSurface, token: string): Promise<SessionActor | undefined> {
  const session = await deps.store.sessions.getByHash(hashSecret(token));
  if (!session || session.surface !== surface || session.expiresAt <= deps.clock.now()) return undefined;
  const user = await deps.store.users.getById(session.userId);
  if (!user || user.status !== 'active') return undefined;
  return { name: user.email, userId: user.id, roles: user.roles, user, session };
}

export async function signOut(deps: ManageDeps, token: string): Promise<void> {
  await deps.store.sessions.deleteByHash(hashSecret(token));
}
