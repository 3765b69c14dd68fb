// Answers to authorization requests (the authorization code grant's consent): from the hub's consent page for the
// signed-in user, or from a login page of your own through the management API, for a user it signed in.
import { GatehouseError } from '../errors.ts';
import type { AuthorizationRequest, AuthorizationSeals } from '../oauth/authorization-requests.ts';
import { audit, type Actor, type ManageDeps } from './context.ts';

/** The request a sealed handle holds, or the 400 that says why it cannot be used. */
export function openAuthorizationRequest(seals: AuthorizationSeals, handle: string): AuthorizationRequest {
  const opened = seals.openRequest(handle);
  if (!opened) throw new GatehouseError('authorization.request_invalid', 'This sign-in link is not valid. Go back to the app and start again.');
  if (opened.expired) throw new GatehouseError('authorization.request_expired', 'This sign-in link expired (they last 10 minutes). Go back to the app and start again.');
  return opened.request;
}

/** Where the browser goes with the user's answer: the authorization endpoint, with the request and a consent ticket. */
export function consentRedirect(seals: AuthorizationSeals, handle: string, user: { id: string; email: string }, decision: 'allow' | 'deny'): string {
  const request = openAuthorizationRequest(seals, handle);
  const ticket = seals.sealConsent(handle, { userId: user.id, email: user.email, decision });
  const back = new URL(request.authorizeUrl);
  back.searchParams.set('request', handle);
  back.searchParams.set('consent', ticket);
  return back.href;
}

/** A login page of your own answers for a user it signed in: the user must be an active Gatehouse user. Audited. */
export async function consentFor(deps: ManageDeps, actor: Actor, seals: AuthorizationSeals, body: { request: string; user: string; decision: 'allow' | 'deny' }): Promise<string> {
  const request = openAuthorizationRequest(seals, body.request);
  const user = await deps.store.users.getByEmail(body.user);
  if (!user || user.status !== 'active') throw new GatehouseError('authorization.unknown_user', `There is no active Gatehouse user '${body.user}'. Create the account before answering for it.`);
  const redirectTo = consentRedirect(seals, body.request, user, body.decision);
  await audit(deps.store, deps, actor, 'authorization.consent', 'user', user.email, { clientId: request.clientId, decision: body.decision, scope: request.scope });
  return redirectTo;
}
