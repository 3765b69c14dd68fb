// Who may call what on the hub: every route states it; the hook resolves the session (and the developer) once.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { GatehouseError } from '../errors.ts';
import { authenticateSession } from '../http/sessions.ts';
import type { ManageDeps } from '../manage/context.ts';
import type { SessionActor } from '../manage/sessions.ts';
import type { SignupMode } from '../model/hub.ts';
import { openWorkspace, type Workspace } from './workspace.ts';

/**
 * `public`: anybody (the catalogue, sign-up); `signed-in`: any account; `developer`: an account with the developer
 * role, in its own workspace; `developer-change`: the same, for creating and changing, which an inactive developer may not.
 */
export type HubAccess = 'public' | 'signed-in' | 'developer' | 'developer-change';

declare module 'fastify' {
  interface FastifyContextConfig {
    hub?: HubAccess;
  }
}

export interface HubAccessOptions {
  deps: ManageDeps;
  signup: SignupMode;
}

/** What the hook found out about the caller, per request. */
interface Caller {
  actor: SessionActor;
  workspace?: Workspace;
}

const callers = new WeakMap<FastifyRequest, Caller>();

/** Routes shared with the other surfaces (health, sessions, the web app) say `access: 'public'`. */
function accessOf(request: FastifyRequest): HubAccess | undefined {
  const config = request.routeOptions.config as { hub?: HubAccess; access?: unknown };
  if (config.hub !== undefined) return config.hub;
  return config.access === 'public' ? 'public' : undefined;
}

export function hubAccessHook(options: HubAccessOptions) {
  return async function checkHubAccess(request: FastifyRequest, _reply: FastifyReply): Promise<void> {
    const access = accessOf(request);
    if (access === 'public') return;
    if (access === undefined) {
      // Deny by default: only the not-found handler has no rule.
      if (request.is404) return;
      throw new GatehouseError('auth.forbidden', 'This route states no access rule, so nobody may call it.');
    }
    // A change without the session's CSRF token fails here, before the body is even read.
    const actor = await authenticateSession(options.deps, request, 'hub');
    if (!actor) throw new GatehouseError('hub.sign_in_required', 'Sign in to the developer hub first.');
    const caller: Caller = { actor };
    if (access === 'developer' || access === 'developer-change') {
      caller.workspace = await openWorkspace(options.deps, options.signup, actor, access === 'developer-change');
    }
    callers.set(request, caller);
  };
}

/** The signed-in account of a `signed-in` or `developer` route. */
export function actorOf(request: FastifyRequest): SessionActor {
  const caller = callers.get(request);
  if (!caller) throw new GatehouseError('internal', `Route ${request.routeOptions.url} reads the caller but states no access rule that signs in.`);
  return caller.actor;
}

/** The developer's workspace of a `developer` route: the developer comes from the session, never from the request. */
export function workspaceOf(request: FastifyRequest): Workspace {
  const workspace = callers.get(request)?.workspace;
  if (!workspace) throw new GatehouseError('internal', `Route ${request.routeOptions.url} reads the workspace but is not a developer route.`);
  return workspace;
}
