// Cookie sessions for the two web apps (admin console, developer hub): the /session routes, reading the cookie
// on later requests, and the CSRF check on changes. Personal access tokens (Bearer) bypass all of this.
import { Type, type Static, type TObject } from '@sinclair/typebox';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { GatehouseError } from '../errors.ts';
import type { ManageDeps } from '../manage/context.ts';
import { csrfTokenFor, sessionActor, signIn, signInWithToken, signOut, type SessionActor } from '../manage/sessions.ts';
import { Email } from '../model/common.ts';
import { RoleSchema } from '../model/user.ts';
import type { SessionSurface, UserRecord } from '../store/index.ts';
import { constantTimeEqual } from '../util/secrets.ts';
import { SignInThrottle } from './sign-in-throttle.ts';

/** One cookie per surface: both may live on one host (cookies ignore ports), and neither may stand for the other. */
export const SESSION_COOKIES: Record<SessionSurface, string> = { console: 'gatehouse_console', hub: 'gatehouse_hub' };

export const CSRF_HEADER = 'x-csrf-token';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export const SignInBody = Type.Union(
  [
    Type.Object(
      {
        email: Type.String({ minLength: 1, maxLength: 254, description: 'The account\'s email.' }),
        password: Type.String({ minLength: 1, maxLength: 200, description: 'The account\'s password.' }),
      },
      { additionalProperties: false, description: 'Email and password.' },
    ),
    Type.Object(
      { token: Type.String({ minLength: 1, maxLength: 500, description: 'A personal access token (the first admin\'s token, printed at the first start, say).' }) },
      { additionalProperties: false, description: 'A personal access token instead of a password.' },
    ),
  ],
  { description: 'Email and password, or a personal access token.' },
);
export type SignInBody = Static<typeof SignInBody>;

export const SessionUser = Type.Object(
  {
    email: Email,
    displayName: Type.Union([Type.String(), Type.Null()], { description: 'A name for people to read.' }),
    roles: Type.Array(RoleSchema, { description: 'The account\'s roles.' }),
  },
  { additionalProperties: false },
);

/** The session as the web apps see it; a surface may add fields (the hub says what the account may do). */
export const SessionView = Type.Object(
  {
    user: Type.Union([SessionUser, Type.Null()], { description: 'Who is signed in; null when nobody is.' }),
    csrfToken: Type.Optional(Type.String({ description: 'Send it back as `x-csrf-token` with every change made with this session.' })),
  },
  { additionalProperties: false },
);

/** Reads this surface's session token from the Cookie header, if any. */
export function readSessionCookie(request: FastifyRequest, surface: SessionSurface): string | undefined {
  const header = request.headers.cookie;
  if (!header) return undefined;
  const name = SESSION_COOKIES[surface];
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      const value = part.slice(eq + 1).trim();
      return value === '' ? undefined : value;
    }
  }
  return undefined;
}

/** HttpOnly (scripts never see it), SameSite=Strict (no cross-site sends), Secure when served over TLS. */
export function setSessionCookie(reply: FastifyReply, request: FastifyRequest, surface: SessionSurface, value: string, clear = false): void {
  const attributes = ['Path=/', 'HttpOnly', 'SameSite=Strict', ...(request.protocol === 'https' ? ['Secure'] : []), ...(clear ? ['Max-Age=0'] : [])];
  reply.header('set-cookie', `${SESSION_COOKIES[surface]}=${clear ? '' : value}; ${attributes.join('; ')}`);
}

/**
 * The signed-in user of this request's session cookie, or undefined when it carries none. A cookie that no longer
 * signs anybody in is a 401; a change (not GET/HEAD/OPTIONS) without the session's CSRF token is a 403.
 */
export async function authenticateSession(deps: ManageDeps, request: FastifyRequest, surface: SessionSurface): Promise<SessionActor | undefined> {
  const token = readSessionCookie(request, surface);
  if (token === undefined) return undefined;
  const actor = await sessionActor(deps, surface, token);
  if (!actor) throw new GatehouseError('auth.session_ended', 'Your session has ended (signed out, expired, or the password changed). Sign in again.');
  if (!SAFE_METHODS.has(request.method)) {
    const sent = request.headers[CSRF_HEADER];
    if (typeof sent !== 'string' || !constantTimeEqual(sent, csrfTokenFor(token))) {
      throw new GatehouseError('auth.csrf_failed', `A change made with a session must carry the ${CSRF_HEADER} header from GET /api/v1/session.`);
    }
  }
  return actor;
}

export interface SessionRoutesOptions {
  deps: ManageDeps;
  surface: SessionSurface;
  /** Refuses a correctly signed-in user who may not use this surface (throw a GatehouseError). */
  admit?: (user: UserRecord) => void;
  /** More fields for the session view (what the account may do here); `viewSchema` must describe them. */
  describe?: (actor: SessionActor | undefined) => Promise<Record<string, unknown>>;
  viewSchema?: TObject;
  /** Failed sign-ins per account and address (default: one per set of routes). */
  throttle?: SignInThrottle;
}

/** GET, POST and DELETE /session: who is signed in, sign in, sign out. All public; sign-in sets the cookie. */
export function sessionRoutes(options: SessionRoutesOptions): FastifyPluginAsync {
  const { deps, surface } = options;
  const viewSchema = options.viewSchema ?? SessionView;
  const view = async (actor: SessionActor | undefined, token: string | undefined) => ({
    user: actor ? { email: actor.user.email, displayName: actor.user.displayName, roles: [...actor.user.roles] } : null,
    ...(actor && token ? { csrfToken: csrfTokenFor(token) } : {}),
    ...(options.describe ? await options.describe(actor) : {}),
  });

  const throttle = options.throttle ?? new SignInThrottle(deps.clock);
  return async function registerSessionRoutes(app) {
    app.get(
      '/session',
      { config: { access: 'public' }, schema: { summary: 'Who is signed in', description: 'The session of this browser: the user and the CSRF token for changes, or `user: null`.', tags: ['session'], response: { 200: viewSchema } } },
      async function getSession(request, reply) {
        const token = readSessionCookie(request, surface);
        const actor = token === undefined ? undefined : await sessionActor(deps, surface, token);
        if (token !== undefined && !actor) setSessionCookie(reply, request, surface, '', true);
        return view(actor, token);
      },
    );

    app.post(
      '/session',
      { config: { access: 'public' }, schema: { summary: 'Sign in', description: 'Checks email and password (or a personal access token) and sets an HttpOnly session cookie (12 hours).', tags: ['session'], body: SignInBody, response: { 200: viewSchema } } },
      async function createSession(request, reply) {
        const body = request.body as SignInBody;
        const previous = readSessionCookie(request, surface);
        const account = 'token' in body ? 'token' : body.email;
        try {
          throttle.check(account, request.ip);
        } catch (error) {
          const retry = (error as GatehouseError).details?.retryAfterSeconds;
          if (typeof retry === 'number') reply.header('retry-after', String(retry));
          throw error;
        }
        let signedIn;
        try {
          signedIn = 'token' in body ? await signInWithToken(deps, surface, body.token, options.admit) : await signIn(deps, surface, body.email, body.password, options.admit);
        } catch (error) {
          if (error instanceof GatehouseError && error.code === 'auth.invalid_credentials') throttle.failed(account, request.ip);
          throw error;
        }
        throttle.succeeded(account);
        if (previous !== undefined) await signOut(deps, previous);
        setSessionCookie(reply, request, surface, signedIn.token);
        return view({ name: signedIn.user.email, userId: signedIn.user.id, roles: signedIn.user.roles, user: signedIn.user, session: signedIn.session }, signedIn.token);
      },
    );

    app.delete(
      '/session',
      { config: { access: 'public' }, schema: { summary: 'Sign out', description: 'Ends the session and clears the cookie. Signing out twice is fine.', tags: ['session'], response: { 204: Type.Null({ description: 'Signed out.' }) } } },
      async function deleteSession(request, reply) {
        const token = readSessionCookie(request, surface);
        if (token !== undefined) await signOut(deps, token);
        setSessionCookie(reply, request, surface, '', true);
        return reply.code(204).send();
      },
    );
  };
}
