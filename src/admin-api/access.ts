// Who may call what: every management route names one of these, and a test walks the whole matrix.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { GatehouseError } from '../errors.ts';
import { SYSTEM_ACTOR, type Actor, type ManageDeps } from '../manage/context.ts';
import { authenticate } from '../manage/users.ts';
import { authenticateSession } from '../http/sessions.ts';
import type { Role } from '../model/user.ts';
import { constantTimeEqual } from '../util/secrets.ts';

/** Roles a route accepts; `authenticated` = any signed-in user; `public` = no token needed. */
export type Access = readonly Role[] | 'authenticated' | 'public';

export const ACCESS = {
  /** Reading APIs, products, key value maps (entries of encrypted maps: admin and api-editor only), developers and apps. */
  read: ['admin', 'api-editor', 'viewer'],
  /** Changing APIs, products, deployments and key value maps. */
  editApis: ['admin', 'api-editor'],
  /** Developers, apps, credentials, users: the admin's business (SAP: AuthGroup.API.Admin). */
  admin: ['admin'],
  /** The audit log: admins and read-only auditors. */
  audit: ['admin', 'viewer'],
  self: 'authenticated',
  public: 'public',
} as const satisfies Record<string, Access>;

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
  }
  interface FastifyRequest {
    actor: Actor;
  }
}

export interface AuthOptions {
  deps: ManageDeps;
  /** A per-process secret that stands for the system actor (used by `start -c FILE`); never stored. */
  internalToken?: string | undefined;
}

function bearer(header: string): string {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match?.[1]) throw new GatehouseError('auth.missing_token', 'The Authorization header must be `Bearer <token>`.');
  return match[1];
}

/** Who calls: a bearer token (personal, bootstrap or internal) if one is sent, else the console's session cookie. */
async function identify(options: AuthOptions, request: FastifyRequest): Promise<Actor> {
  const header = request.headers.authorization;
  if (header !== undefined) {
    const token = bearer(header);
    if (options.internalToken !== undefined && constantTimeEqual(token, options.internalToken)) return SYSTEM_ACTOR;
    return authenticate(options.deps, token);
  }
  const session = await authenticateSession(options.deps, request, 'console');
  if (session) return session;
  throw new GatehouseError('auth.missing_token', 'This route needs `Authorization: Bearer <token>` (or a console session).');
}

export function accessHook(options: AuthOptions) {
  return async function checkAccess(request: FastifyRequest, _reply: FastifyReply): Promise<void> {
    const access = request.routeOptions.config.access;
    if (access === 'public') return;
    if (access === undefined) {
      // Deny by default: only the not-found handler and the interactive docs (a plugin's routes) have no rule.
      if (request.is404 || request.url === '/api/docs' || request.url.startsWith('/api/docs/')) return;
      throw new GatehouseError('auth.forbidden', 'This route states no roles, so nobody may call it.');
    }
    const actor = await identify(options, request);
    if (access !== 'authenticated' && !actor.roles.some((role) => access.includes(role))) {
      const have = actor.roles.length > 0 ? actor.roles.join(', ') : 'no roles';
      throw new GatehouseError('auth.forbidden', `This needs one of the roles ${access.join(', ')}; you have ${have}.`, {
        details: { requiredRoles: [...access] },
      });
    }
    request.actor = actor;
  };
}
