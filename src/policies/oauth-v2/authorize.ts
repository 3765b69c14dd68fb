// GenerateAuthorizationCode: the authorization endpoint of the authorization code grant (RFC 6749 §4.1, PKCE RFC 7636).
// First visit: the request is checked and the browser goes to the login and consent page with the request sealed.
// Second visit, back from that page with a consent ticket: a code (or `access_denied`) goes to the app's redirect URI.
// Errors that would send the browser to an unchecked address (unknown client, redirect URI not registered) are shown
// here instead (§4.1.2.1); every other error goes back to the app, with `state`.
import { S256_CHALLENGE, type AuthorizationRequest } from '../../oauth/authorization-requests.ts';
import { keyRefusal } from '../key-refusal.ts';
import { PolicyConfigError, StepFault, type AuthorizationServer, type FlowContext, type PolicyDeps, type StepFunction } from '../policy.ts';
import type { OAuthV2Config } from './config.ts';
import { grantScope, productScopes } from './scopes.ts';

type RedirectError = 'invalid_request' | 'unauthorized_client' | 'access_denied' | 'unsupported_response_type' | 'invalid_scope';

const NO_STORE = { 'cache-control': 'no-store', pragma: 'no-cache' };
const MAX_STATE = 1000;

/** An error shown to the user at the authorization endpoint, since it cannot safely go back to the app. */
function pageError(message: string): StepFault {
  return new StepFault({
    faultName: 'invalid_request',
    code: 'oauth.invalid_request',
    apigeeCode: 'oauth.v2.invalid_request',
    status: 400,
    message,
    headers: NO_STORE,
    body: { error: 'invalid_request', error_description: message },
  });
}

/** The redirect URI with the response parameters added to its query, which it keeps (RFC 6749 §3.1.2). */
function redirectTo(redirectUri: string, params: Record<string, string | undefined>): string {
  const url = new URL(redirectUri);
  for (const [name, value] of Object.entries(params)) if (value !== undefined) url.searchParams.append(name, value);
  return url.href;
}

export function generateAuthorizationCode(config: OAuthV2Config, deps: PolicyDeps): StepFunction {
  const server = deps.authorization;
  if (!server) throw new PolicyConfigError('GenerateAuthorizationCode needs the developer hub (or a login page) wired to the gateway; it is not available here.');
  const codeLifetime = config.codeExpiresIn;

  /** One parameter at most once (RFC 6749 §3.1: parameters must not be repeated). */
  const single = (query: URLSearchParams, name: string, fail: (message: string) => never): string | undefined => {
    const values = query.getAll(name);
    if (values.length > 1) fail(`The parameter ${name} was sent more than once.`);
    return values[0] === '' ? undefined : values[0];
  };

  async function begin(context: FlowContext, query: URLSearchParams, app: AuthorizationServer): Promise<void> {
    const show = (message: string): never => {
      throw pageError(message);
    };
    const clientId = single(query, 'client_id', show);
    if (clientId === undefined) throw pageError('Required param : client_id. The link that brought you here is incomplete; go back to the app and try again.');
    const key = await deps.keys.find(clientId);
    if (!key) throw pageError('The app asking for access is not known here (unknown client_id).');
    const refusal = keyRefusal(key, context.now());
    if (refusal) throw pageError(`The app asking for access cannot sign users in: ${refusal}.`);
    const givenRedirect = single(query, 'redirect_uri', show);
    const registered = key.app.callbackUrls;
    if (registered.length === 0) throw pageError(`The app '${key.app.name}' has no callback URL registered; its developer must add one before users can sign in with it.`);
    if (givenRedirect === undefined && registered.length > 1) throw pageError('Required param : redirect_uri (the app has several callback URLs, so it must say which one).');
    // RFC 6749 §3.1.2.3 and the Security BCP §4.1.3: exact string comparison, no patterns, no normalising.
    if (givenRedirect !== undefined && !registered.includes(givenRedirect)) throw pageError(`The redirect_uri is not one of the callback URLs registered for the app '${key.app.name}'.`);
    const redirectUri = givenRedirect ?? (registered[0] as string);

    // From here on the redirect URI is trusted: errors go back to the app.
    const state = query.get('state') ?? undefined;
    const back = (error: RedirectError, description: string): Answered => {
      context.respond(302, '', { ...NO_STORE, location: redirectTo(redirectUri, { error, error_description: description, state: state?.slice(0, MAX_STATE), iss: app.issuer() }) });
      return new Answered();
    };
    const param = (name: string) =>
      single(query, name, (message) => {
        throw back('invalid_request', message);
      });
    param('state');
    const responseType = param('response_type');
    if (responseType === undefined) throw back('invalid_request', 'Required param : response_type');
    if (responseType !== 'code') throw back('unsupported_response_type', `Unsupported response_type ${String(responseType)}: this endpoint issues authorization codes (response_type=code).`);
    if (state !== undefined && state.length > MAX_STATE) throw back('invalid_request', `state is longer than ${MAX_STATE} characters.`);
    const challenge = param('code_challenge');
    const method = param('code_challenge_method');
    if (challenge === undefined && method !== undefined) throw back('invalid_request', 'code_challenge_method without code_challenge.');
    if (challenge !== undefined) {
      if (method !== 'S256') throw back('invalid_request', `Unsupported code_challenge_method ${method ?? 'plain (the default)'}: use S256 (RFC 7636 §4.2).`);
      if (!S256_CHALLENGE.test(challenge)) throw back('invalid_request', 'code_challenge is not an S256 challenge (43 base64url characters).');
    } else if (key.app.tokenEndpointAuthMethod === 'none') {
      throw back('invalid_request', 'PKCE is required for public clients: send code_challenge and code_challenge_method=S256 (RFC 7636).');
    }
    if (key.products.length === 0) throw back('unauthorized_client', 'The app has no approved product; ask an admin to approve its subscription.');
    // The code carries the scope a token request would get: as far as the app's products allow.
    const scope = grantScope(param('scope') ?? null, productScopes(key));
    const request: Omit<AuthorizationRequest, 'expiresAt'> = {
      clientId: key.clientId,
      redirectUri,
      redirectUriGiven: givenRedirect !== undefined,
      scope,
      state,
      codeChallenge: challenge,
      authorizeUrl: `${app.gatewayUrl()}${context.request.path}`,
    };
    const login = new URL(config.loginPage ?? app.loginPageUrl());
    login.searchParams.set('request', app.seals.sealRequest(request));
    context.respond(302, '', { ...NO_STORE, location: login.href });
  }

  /** Back from the login page: the sealed request and the user's consent. */
  async function complete(context: FlowContext, handle: string, ticket: string, app: AuthorizationServer): Promise<void> {
    const opened = app.seals.openRequest(handle);
    if (!opened) throw pageError('This sign-in link is not valid. Go back to the app and start again.');
    const { request } = opened;
    const back = (params: Record<string, string | undefined>) => {
      context.respond(302, '', { ...NO_STORE, location: redirectTo(request.redirectUri, { ...params, state: request.state, iss: app.issuer() }) });
    };
    if (opened.expired) return back({ error: 'access_denied', error_description: 'The sign-in took too long; start again.' });
    const consent = app.seals.openConsent(ticket, handle);
    if (!consent) return back({ error: 'access_denied', error_description: 'The consent is not valid or came too late; start again.' });
    if (consent.decision === 'deny') return back({ error: 'access_denied', error_description: 'The user declined to grant access.' });
    // The app may have been revoked, or lost its callback URL, while the user read the consent page.
    const key = await deps.keys.find(request.clientId);
    if (!key || keyRefusal(key, context.now()) || !key.app.callbackUrls.includes(request.redirectUri)) {
      throw pageError('The app asking for access can no longer sign users in.');
    }
    if (key.products.length === 0) return back({ error: 'unauthorized_client', error_description: 'The app has no approved product.' });
    if (!(await deps.tokens.userIsActive(consent.email))) return back({ error: 'access_denied', error_description: 'The account that consented is no longer active.' });
    const code = await app.codes.issue({
      key,
      products: key.products.map((p) => p.name),
      scope: request.scope,
      endUser: consent.email,
      expiresInMs: codeLifetime,
      redirectUri: request.redirectUri,
      redirectUriGiven: request.redirectUriGiven,
      codeChallenge: request.codeChallenge,
    });
    context.caller = { clientId: key.clientId, appId: key.app.id, appName: key.app.name, developerId: key.developer.id, developerEmail: key.developer.email };
    back({ code });
  }

  return async function generateAuthorizationCodeStep(context) {
    const query = context.request.query;
    try {
      const handle = query.get('request');
      const ticket = query.get('consent');
      if (handle !== null && ticket !== null) await complete(context, handle, ticket, server);
      else await begin(context, query, server);
    } catch (error) {
      if (!(error instanceof Answered)) throw error;
    }
  };
}

/** Thrown after a redirect was written, to leave the checks. */
class Answered extends Error {}
