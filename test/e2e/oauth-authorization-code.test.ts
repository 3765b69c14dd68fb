// The authorization code grant with PKCE (RFC 6749 §4.1, RFC 7636) on real sockets: the gateway's authorization
// endpoint, the hub's login and consent API, the token endpoint; driven by openid-client and oauth4webapi, with the
// negative cases each RFC's MUSTs call for. (The browser walk through the hub's pages is in test/browser/hub.test.ts.)
import * as oauth from 'oauth4webapi';
import * as oidc from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWeatherService } from '../../examples/seed-walkthrough/weather-service.js';
import { applyFile, startGatehouse, type Gatehouse } from '../helpers/gatehouse.ts';

const FILE = `
apis:
  - name: authorize
    basePath: /oauth/authorize
    preFlow:
      request:
        - policy: oauth-v2
          config: { operation: GenerateAuthorizationCode }
  - name: authorize-own-page
    basePath: /own/authorize
    preFlow:
      request:
        - policy: oauth-v2
          config: { operation: GenerateAuthorizationCode, loginPage: "http://127.0.0.1:9/login" }
  - name: token
    basePath: /oauth/token
    preFlow:
      request:
        - policy: oauth-v2
          config: { operation: GenerateAccessToken, supportedGrantTypes: [authorization_code, refresh_token, client_credentials] }
  - name: introspect
    basePath: /oauth/introspect
    preFlow:
      request:
        - policy: oauth-v2
          config: { operation: IntrospectToken }
  - name: weather
    basePath: /weather
    target: { url: "\${WEATHER_URL}" }
    preFlow:
      request:
        - policy: oauth-v2
          config: { operation: VerifyAccessToken }
products:
  - name: weather
    displayName: Weather forecasts
    apis: [authorize, authorize-own-page, token, introspect, weather]
    scopes: [read, write]
developers:
  - email: dana@example.com
    firstName: Dana
    lastName: Developer
    apps:
      - name: web-app
        displayName: Dana's Weather Web
        products: [weather]
        callbackUrls: ["http://127.0.0.1:9/callback", "http://127.0.0.1:9/other?keep=1"]
        credentials:
          - { clientId: web-app-client, clientSecret: web-app-secret-0123456789 }
      - name: other-app
        products: [weather]
        callbackUrls: ["http://127.0.0.1:9/callback"]
        credentials:
          - { clientId: other-app-client, clientSecret: other-app-secret-0123456789 }
      - name: spa
        displayName: Weather in the browser
        products: [weather]
        tokenEndpointAuthMethod: none
        callbackUrls: ["http://127.0.0.1:9/spa"]
        credentials:
          - { clientId: spa-client-0001, clientSecret: spa-unused-secret-0123456789 }
      - name: single-callback
        products: [weather]
        callbackUrls: ["http://127.0.0.1:9/only"]
        credentials:
          - { clientId: single-callback-client, clientSecret: single-callback-secret-0123 }
`;

const CALLBACK = 'http://127.0.0.1:9/callback';
const USER = { email: 'eve@example.com', password: 'correct horse battery staple' };

let gh: Gatehouse;
let weather: { url: string; close(): Promise<void> };
let session: { cookie: string; csrf: string };

beforeAll(async () => {
  weather = await startWeatherService(0, '127.0.0.1');
  gh = await startGatehouse();
  await applyFile(gh, FILE, { WEATHER_URL: weather.url });
  // The resource owner: an account with no role at all, who may still sign in and consent.
  expect((await gh.manage('POST', '/users', { ...USER, roles: [] })).status).toBe(201);
  session = await signIn(USER.email, USER.password);
});

afterAll(async () => {
  await gh?.close();
  await weather?.close();
});

async function signIn(email: string, password: string): Promise<{ cookie: string; csrf: string }> {
  const response = await fetch(`${gh.hub}/api/v1/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });
  expect(response.status).toBe(200);
  const body = (await response.json()) as { csrfToken: string };
  return { cookie: (response.headers.get('set-cookie') ?? '').split(';')[0] as string, csrf: body.csrfToken };
}

/** GET without following redirects: the status and where it points. */
async function visit(url: string | URL): Promise<{ status: number; location: URL | undefined; body: string }> {
  const response = await fetch(url, { redirect: 'manual' });
  const location = response.headers.get('location');
  return { status: response.status, location: location ? new URL(location) : undefined, body: await response.text() };
}

function authorizeUrl(params: Record<string, string>): URL {
  const url = new URL(`${gh.gateway}/oauth/authorize`);
  for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
  return url;
}

/** The login page's sealed request, from the authorization endpoint's redirect to the hub. */
async function handleFor(params: Record<string, string>): Promise<string> {
  const first = await visit(authorizeUrl(params));
  expect(first.status).toBe(302);
  expect(`${first.location?.origin}${first.location?.pathname}`).toBe(`${gh.hub}/authorize`);
  return first.location?.searchParams.get('request') as string;
}

async function decide(handle: string, decision: 'allow' | 'deny', as = session): Promise<Response> {
  return fetch(`${gh.hub}/api/v1/authorization`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie: as.cookie, 'x-csrf-token': as.csrf },
    body: JSON.stringify({ request: handle, decision }),
  });
}

/** Walks the whole front channel as a browser would: authorization endpoint → hub → consent → back to the app. */
async function frontChannel(params: Record<string, string>, decision: 'allow' | 'deny' = 'allow'): Promise<URL> {
  const handle = await handleFor(params);
  const answer = await decide(handle, decision);
  expect(answer.status).toBe(200);
  const { redirectTo } = (await answer.json()) as { redirectTo: string };
  const back = await visit(redirectTo);
  expect(back.status).toBe(302);
  return back.location as URL;
}

async function codeFor(clientId = 'web-app-client', extra: Record<string, string> = {}): Promise<{ code: string; verifier: string }> {
  const verifier = oidc.randomPKCECodeVerifier();
  const challenge = await oidc.calculatePKCECodeChallenge(verifier);
  const callback = await frontChannel({ response_type: 'code', client_id: clientId, redirect_uri: CALLBACK, code_challenge: challenge, code_challenge_method: 'S256', state: 's1', ...extra });
  const code = callback.searchParams.get('code');
  expect(code).toBeTruthy();
  return { code: code as string, verifier };
}

async function exchange(form: Record<string, string>, basic: [string, string] | null = ['web-app-client', 'web-app-secret-0123456789']): Promise<{ status: number; body: Record<string, unknown> }> {
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
  if (basic) headers.authorization = `Basic ${Buffer.from(`${basic[0]}:${basic[1]}`).toString('base64')}`;
  const response = await fetch(`${gh.gateway}/oauth/token`, { method: 'POST', headers, body: new URLSearchParams({ grant_type: 'authorization_code', ...form }) });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function weatherStatus(token: string): Promise<number> {
  const response = await fetch(`${gh.gateway}/weather/data/2.5/weather?q=Berlin`, { headers: { authorization: `Bearer ${token}` } });
  await response.arrayBuffer();
  return response.status;
}

describe('authorization code with PKCE, by real clients', () => {
  it('openid-client: discovery, the authorization URL, the code exchange with state and iss checked, refresh with rotation', async () => {
    const config = await oidc.discovery(new URL(gh.gateway), 'web-app-client', 'web-app-secret-0123456789', undefined, { execute: [oidc.allowInsecureRequests] });
    expect(config.serverMetadata()).toMatchObject({
      authorization_endpoint: `${gh.gateway}/oauth/authorize`,
      response_types_supported: ['code'],
      code_challenge_methods_supported: ['S256'],
      authorization_response_iss_parameter_supported: true,
      grant_types_supported: ['authorization_code', 'refresh_token', 'client_credentials'],
    });
    const verifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const url = oidc.buildAuthorizationUrl(config, { redirect_uri: CALLBACK, scope: 'read', code_challenge: await oidc.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256', state });
    const handle = (await visit(url)).location?.searchParams.get('request') as string;
    const prompt = await fetch(`${gh.hub}/api/v1/authorization?request=${encodeURIComponent(handle)}`);
    expect(await prompt.json()).toEqual({
      app: { name: 'web-app', displayName: "Dana's Weather Web", developer: 'Dana Developer' },
      products: [{ name: 'weather', displayName: 'Weather forecasts' }],
      scopes: ['read'],
      redirectOrigin: 'http://127.0.0.1:9',
    });
    const { redirectTo } = (await (await decide(handle, 'allow')).json()) as { redirectTo: string };
    const callback = (await visit(redirectTo)).location as URL;
    expect(callback.searchParams.get('iss')).toBe(gh.gateway);
    const tokens = await oidc.authorizationCodeGrant(config, callback, { pkceCodeVerifier: verifier, expectedState: state });
    expect(tokens).toMatchObject({ token_type: 'bearer', scope: 'read', expires_in: 3600 });
    expect(tokens.refresh_token).toBeTruthy();
    expect(await weatherStatus(tokens.access_token)).toBe(200);
    const introspection = await fetch(`${gh.gateway}/oauth/introspect`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from('web-app-client:web-app-secret-0123456789').toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: tokens.access_token }),
    });
    expect(await introspection.json()).toMatchObject({ active: true, client_id: 'web-app-client', username: USER.email, scope: 'read' });
    // Refresh rotates; the used refresh token, presented again, revokes the chain.
    const refreshed = await oidc.refreshTokenGrant(config, tokens.refresh_token as string);
    expect(refreshed.refresh_token).not.toBe(tokens.refresh_token);
    expect(await weatherStatus(refreshed.access_token)).toBe(200);
    await expect(oidc.refreshTokenGrant(config, tokens.refresh_token as string)).rejects.toMatchObject({ error: 'invalid_grant' });
    expect(await weatherStatus(refreshed.access_token)).toBe(401);
  });

  it('oauth4webapi: validates the callback (state, iss) and exchanges the code with client_secret_basic', async () => {
    const issuer = new URL(gh.gateway);
    const as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, { algorithm: 'oauth2', [oauth.allowInsecureRequests]: true }));
    const client: oauth.Client = { client_id: 'web-app-client' };
    const verifier = oauth.generateRandomCodeVerifier();
    const state = oauth.generateRandomState();
    const url = new URL(as.authorization_endpoint as string);
    url.search = new URLSearchParams({ response_type: 'code', client_id: 'web-app-client', redirect_uri: CALLBACK, state, code_challenge: await oauth.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256' }).toString();
    const handle = (await visit(url)).location?.searchParams.get('request') as string;
    const { redirectTo } = (await (await decide(handle, 'allow')).json()) as { redirectTo: string };
    const callback = (await visit(redirectTo)).location as URL;
    const params = oauth.validateAuthResponse(as, client, callback, state);
    const response = await oauth.authorizationCodeGrantRequest(as, client, oauth.ClientSecretBasic('web-app-secret-0123456789'), params, CALLBACK, verifier, { [oauth.allowInsecureRequests]: true });
    const tokens = await oauth.processAuthorizationCodeResponse(as, client, response);
    // No scope asked for: every scope the products allow.
    expect(tokens.scope).toBe('read write');
    expect(await weatherStatus(tokens.access_token)).toBe(200);
  });
});

describe('public clients (token endpoint auth method none)', () => {
  const SPA = 'http://127.0.0.1:9/spa';

  it('must use PKCE, then redeem and refresh with the client id alone (oauth4webapi, None())', async () => {
    const without = await visit(authorizeUrl({ response_type: 'code', client_id: 'spa-client-0001', redirect_uri: SPA, state: 'p' }));
    expect(without.location?.searchParams.get('error')).toBe('invalid_request');
    expect(without.location?.searchParams.get('error_description')).toContain('PKCE is required for public clients');

    const issuer = new URL(gh.gateway);
    const as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, { algorithm: 'oauth2', [oauth.allowInsecureRequests]: true }));
    const client: oauth.Client = { client_id: 'spa-client-0001' };
    const verifier = oauth.generateRandomCodeVerifier();
    const state = oauth.generateRandomState();
    const callback = await frontChannel({ response_type: 'code', client_id: 'spa-client-0001', redirect_uri: SPA, state, code_challenge: await oauth.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256' });
    const params = oauth.validateAuthResponse(as, client, callback, state);
    const options = { [oauth.allowInsecureRequests]: true };
    const tokens = await oauth.processAuthorizationCodeResponse(as, client, await oauth.authorizationCodeGrantRequest(as, client, oauth.None(), params, SPA, verifier, options));
    expect(await weatherStatus(tokens.access_token)).toBe(200);
    const refreshed = await oauth.processRefreshTokenResponse(as, client, await oauth.refreshTokenGrantRequest(as, client, oauth.None(), tokens.refresh_token as string, options));
    expect(await weatherStatus(refreshed.access_token)).toBe(200);
  });

  it('cannot use client credentials, nor redeem without its verifier', async () => {
    const cc = await fetch(`${gh.gateway}/oauth/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ grant_type: 'client_credentials', client_id: 'spa-client-0001' }) });
    expect(cc.status).toBe(401);
    expect(await cc.json()).toMatchObject({ error: 'invalid_client' });
    const verifier = oidc.randomPKCECodeVerifier();
    const callback = await frontChannel({ response_type: 'code', client_id: 'spa-client-0001', redirect_uri: SPA, code_challenge: await oidc.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256' });
    const code = callback.searchParams.get('code') as string;
    expect(await exchange({ code, redirect_uri: SPA, client_id: 'spa-client-0001' }, null)).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    expect(await exchange({ code, redirect_uri: SPA, client_id: 'spa-client-0001', code_verifier: verifier }, null)).toMatchObject({ status: 200 });
  });
});

describe('a login page of your own', () => {
  it('gets the sealed request, answers through the management API for a user it signed in, and the app gets its code', async () => {
    const verifier = oidc.randomPKCECodeVerifier();
    const first = await visit(`${gh.gateway}/own/authorize?${new URLSearchParams({ response_type: 'code', client_id: 'web-app-client', redirect_uri: CALLBACK, state: 'own', code_challenge: await oidc.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256' })}`);
    expect(`${first.location?.origin}${first.location?.pathname}`).toBe('http://127.0.0.1:9/login');
    const request = first.location?.searchParams.get('request') as string;
    // The page's server signed Eve in its own way, and answers for her.
    const unknown = await gh.manage('POST', '/oauth/consents', { request, user: 'nobody@example.com', decision: 'allow' });
    expect(unknown.status).toBe(400);
    expect(await unknown.json()).toMatchObject({ code: 'authorization.unknown_user' });
    const answer = await gh.manage('POST', '/oauth/consents', { request, user: USER.email, decision: 'allow' });
    expect(answer.status).toBe(200);
    const { redirectTo } = (await answer.json()) as { redirectTo: string };
    expect(redirectTo.startsWith(`${gh.gateway}/own/authorize?`)).toBe(true);
    const callback = (await visit(redirectTo)).location as URL;
    expect(callback.searchParams.get('state')).toBe('own');
    const tokens = await exchange({ code: callback.searchParams.get('code') as string, redirect_uri: CALLBACK, code_verifier: verifier });
    expect(tokens.status).toBe(200);
    const events = (await (await gh.manage('GET', '/audit?action=authorization.consent')).json()) as { items: Array<Record<string, unknown>> };
    expect(events.items[0]).toMatchObject({ action: 'authorization.consent', resource: USER.email, details: { clientId: 'web-app-client', decision: 'allow' } });
    // A made-up request is refused there too.
    expect(await (await gh.manage('POST', '/oauth/consents', { request: 'v1.x.y', user: USER.email, decision: 'allow' })).json()).toMatchObject({ code: 'authorization.request_invalid' });
  });
});

describe('a public client registered on the developer hub', () => {
  it('is created with publicClient: true, signs users in with PKCE, and needs its secret again once switched off', async () => {
    const signup = await fetch(`${gh.hub}/api/v1/signup`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'pia@example.com', password: USER.password, displayName: 'Pia' }) });
    expect(signup.status).toBe(201);
    const dev = { cookie: (signup.headers.get('set-cookie') ?? '').split(';')[0] as string, csrf: ((await signup.json()) as { csrfToken: string }).csrfToken };
    const hubCall = (method: string, path: string, body: unknown) =>
      fetch(`${gh.hub}/api/v1${path}`, { method, headers: { 'content-type': 'application/json', cookie: dev.cookie, 'x-csrf-token': dev.csrf }, body: JSON.stringify(body) });
    // The weather product is not published, so the hub's catalogue lacks it: an admin publishes it for this test.
    const product = (await (await gh.manage('GET', '/products/weather')).json()) as Record<string, unknown>;
    const { createdAt: _c, updatedAt: _u, ...spec } = product;
    expect((await gh.manage('PUT', '/products/weather', { ...spec, published: true })).status).toBe(200);
    const created = await hubCall('POST', '/apps', { name: 'pia-spa', callbackUrls: ['http://127.0.0.1:9/pia'], publicClient: true, products: ['weather'] });
    expect(created.status).toBe(201);
    const app = (await created.json()) as { publicClient: boolean; credentials: Array<{ clientId: string }> };
    expect(app.publicClient).toBe(true);
    const clientId = app.credentials[0]?.clientId as string;

    const verifier = oidc.randomPKCECodeVerifier();
    const pkceParams = { response_type: 'code', client_id: clientId, redirect_uri: 'http://127.0.0.1:9/pia', code_challenge: await oidc.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256' };
    const code = (await frontChannel(pkceParams)).searchParams.get('code') as string;
    expect(await exchange({ code, redirect_uri: 'http://127.0.0.1:9/pia', client_id: clientId, code_verifier: verifier }, null)).toMatchObject({ status: 200 });

    const changed = await hubCall('PUT', '/apps/pia-spa', { callbackUrls: ['http://127.0.0.1:9/pia'], publicClient: false, products: ['weather'] });
    expect(changed.status).toBe(200);
    expect(((await changed.json()) as { publicClient: boolean }).publicClient).toBe(false);
    const again = (await frontChannel(pkceParams)).searchParams.get('code') as string;
    expect(await exchange({ code: again, redirect_uri: 'http://127.0.0.1:9/pia', client_id: clientId, code_verifier: verifier }, null)).toMatchObject({ status: 401, body: { error: 'invalid_client' } });
  });
});

describe('the authorization endpoint refuses what it must (RFC 6749 §4.1.2.1, RFC 7636 §4.4)', () => {
  it('shows an error instead of redirecting when the client or the redirect URI cannot be trusted', async () => {
    const cases: Array<[Record<string, string>, string]> = [
      [{ response_type: 'code', redirect_uri: CALLBACK }, 'client_id'],
      [{ response_type: 'code', client_id: 'no-such-client', redirect_uri: CALLBACK }, 'unknown client_id'],
      [{ response_type: 'code', client_id: 'web-app-client', redirect_uri: 'http://127.0.0.1:9/callback/' }, 'not one of the callback URLs'],
      [{ response_type: 'code', client_id: 'web-app-client', redirect_uri: 'http://evil.example/callback' }, 'not one of the callback URLs'],
      [{ response_type: 'code', client_id: 'web-app-client' }, 'several callback URLs'],
      [{ response_type: 'code', client_id: 'web-app-client', redirect_uri: CALLBACK, state: 'a' }, ''],
    ];
    for (const [params, message] of cases.slice(0, -1)) {
      const answer = await visit(authorizeUrl(params));
      expect(answer.status, JSON.stringify(params)).toBe(400);
      expect(answer.location).toBeUndefined();
      expect(JSON.parse(answer.body)).toMatchObject({ error: 'invalid_request', error_description: expect.stringContaining(message) });
    }
    // A repeated client_id is refused too (§3.1), before anything is redirected.
    const repeated = await visit(`${authorizeUrl({ response_type: 'code', client_id: 'web-app-client', redirect_uri: CALLBACK })}&client_id=other-app-client`);
    expect(repeated.status).toBe(400);
  });

  it('sends the other errors back to the app with state and iss', async () => {
    const back = async (params: Record<string, string>) => {
      const answer = await visit(authorizeUrl({ client_id: 'web-app-client', redirect_uri: CALLBACK, state: 'st', ...params }));
      expect(answer.status).toBe(302);
      const location = answer.location as URL;
      expect(`${location.origin}${location.pathname}`).toBe(CALLBACK);
      expect(location.searchParams.get('state')).toBe('st');
      expect(location.searchParams.get('iss')).toBe(gh.gateway);
      return [location.searchParams.get('error'), location.searchParams.get('error_description')];
    };
    expect(await back({})).toEqual(['invalid_request', 'Required param : response_type']);
    expect((await back({ response_type: 'token' }))[0]).toBe('unsupported_response_type');
    expect(await back({ response_type: 'code', code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM' })).toEqual(['invalid_request', expect.stringContaining('use S256')]);
    expect(await back({ response_type: 'code', code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM', code_challenge_method: 'plain' })).toEqual(['invalid_request', expect.stringContaining('use S256')]);
    expect(await back({ response_type: 'code', code_challenge: 'too-short', code_challenge_method: 'S256' })).toEqual(['invalid_request', expect.stringContaining('43 base64url')]);
  });

  it('keeps the query of a registered redirect URI and uses the only one when none is named', async () => {
    const kept = await frontChannel({ response_type: 'code', client_id: 'web-app-client', redirect_uri: 'http://127.0.0.1:9/other?keep=1', state: 'k' });
    expect(kept.searchParams.get('keep')).toBe('1');
    expect(kept.searchParams.get('code')).toBeTruthy();
    const only = await frontChannel({ response_type: 'code', client_id: 'single-callback-client' });
    expect(`${only.origin}${only.pathname}`).toBe('http://127.0.0.1:9/only');
    // No redirect_uri in the request: none needed in the exchange.
    const exchanged = await exchange({ code: only.searchParams.get('code') as string }, ['single-callback-client', 'single-callback-secret-0123']);
    expect(exchanged.status).toBe(200);
  });

  it('answers access_denied when the user says no', async () => {
    const callback = await frontChannel({ response_type: 'code', client_id: 'web-app-client', redirect_uri: CALLBACK, state: 'no' }, 'deny');
    expect(callback.searchParams.get('error')).toBe('access_denied');
    expect(callback.searchParams.get('state')).toBe('no');
    expect(callback.searchParams.get('code')).toBeNull();
  });

  it('refuses a changed or expired sign-in link, a consent for another request, and a consent without a session', async () => {
    const handle = await handleFor({ response_type: 'code', client_id: 'web-app-client', redirect_uri: CALLBACK });
    const tampered = `${handle.slice(0, -2)}xx`;
    const prompt = await fetch(`${gh.hub}/api/v1/authorization?request=${encodeURIComponent(tampered)}`);
    expect(prompt.status).toBe(400);
    expect(await prompt.json()).toMatchObject({ code: 'authorization.request_invalid' });
    expect((await decide(tampered, 'allow')).status).toBe(400);
    // No session: sign in first.
    const anonymous = await fetch(`${gh.hub}/api/v1/authorization`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ request: handle, decision: 'allow' }) });
    expect(anonymous.status).toBe(401);
    // A consent ticket only opens the request it was made for.
    const other = await handleFor({ response_type: 'code', client_id: 'web-app-client', redirect_uri: CALLBACK, state: 'other' });
    const { redirectTo } = (await (await decide(handle, 'allow')).json()) as { redirectTo: string };
    const swapped = new URL(redirectTo);
    swapped.searchParams.set('request', other);
    const refused = (await visit(swapped)).location as URL;
    expect(refused.searchParams.get('error')).toBe('access_denied');
    expect(refused.searchParams.get('state')).toBe('other');
    // Ten minutes on: the link is dead on the page, and a consent made before comes back as access_denied.
    gh.clock.advance(10 * 60_000);
    try {
      const late = await fetch(`${gh.hub}/api/v1/authorization?request=${encodeURIComponent(handle)}`);
      expect(await late.json()).toMatchObject({ code: 'authorization.request_expired' });
      const expired = (await visit(redirectTo)).location as URL;
      expect(expired.searchParams.get('error')).toBe('access_denied');
    } finally {
      gh.clock.advance(-10 * 60_000);
    }
  });
});

describe('the token endpoint checks the code (RFC 6749 §4.1.3, RFC 7636 §4.6)', () => {
  it('refuses a wrong redirect URI, a missing or wrong verifier, and another client; then the right request works', async () => {
    const { code, verifier } = await codeFor();
    expect(await exchange({ code, code_verifier: verifier, redirect_uri: 'http://127.0.0.1:9/other?keep=1' })).toMatchObject({ status: 400, body: { error: 'invalid_grant', error_description: expect.stringContaining('redirect_uri') } });
    expect(await exchange({ code, code_verifier: verifier })).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    expect(await exchange({ code, redirect_uri: CALLBACK })).toMatchObject({ status: 400, body: { error: 'invalid_grant', error_description: expect.stringContaining('code_verifier') } });
    expect(await exchange({ code, redirect_uri: CALLBACK, code_verifier: oidc.randomPKCECodeVerifier() })).toMatchObject({ status: 400, body: { error: 'invalid_grant', error_description: expect.stringContaining('does not match') } });
    expect(await exchange({ code, redirect_uri: CALLBACK, code_verifier: verifier }, ['other-app-client', 'other-app-secret-0123456789'])).toMatchObject({ status: 400, body: { error: 'invalid_grant', error_description: expect.stringContaining('not issued to this client') } });
    expect(await exchange({ code, redirect_uri: CALLBACK, code_verifier: verifier }, ['web-app-client', 'wrong-secret-0123456789'])).toMatchObject({ status: 401, body: { error: 'invalid_client' } });
    expect(await exchange({ redirect_uri: CALLBACK, code_verifier: verifier })).toMatchObject({ status: 400, body: { error: 'invalid_request', error_description: 'Required param : code' } });
    expect(await exchange({ code: 'no-such-code', redirect_uri: CALLBACK, code_verifier: verifier })).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    const good = await exchange({ code, redirect_uri: CALLBACK, code_verifier: verifier });
    expect(good).toMatchObject({ status: 200, body: { token_type: 'Bearer', refresh_token: expect.any(String) } });
  });

  it('a code used twice fails and revokes the tokens it was exchanged for', async () => {
    const { code, verifier } = await codeFor();
    const first = await exchange({ code, redirect_uri: CALLBACK, code_verifier: verifier });
    expect(first.status).toBe(200);
    const access = first.body.access_token as string;
    expect(await weatherStatus(access)).toBe(200);
    expect(await exchange({ code, redirect_uri: CALLBACK, code_verifier: verifier })).toMatchObject({ status: 400, body: { error: 'invalid_grant', error_description: expect.stringContaining('already used') } });
    expect(await weatherStatus(access)).toBe(401);
    const refresh = await fetch(`${gh.gateway}/oauth/token`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from('web-app-client:web-app-secret-0123456789').toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: first.body.refresh_token as string }),
    });
    expect(refresh.status).toBe(400);
  });

  it('two exchanges of one code at once: at most one gets tokens, and those are revoked', async () => {
    const { code, verifier } = await codeFor();
    const answers = await Promise.all([1, 2, 3].map(() => exchange({ code, redirect_uri: CALLBACK, code_verifier: verifier })));
    const winners = answers.filter((a) => a.status === 200);
    expect(winners.length).toBeLessThanOrEqual(1);
    expect(answers.filter((a) => a.status !== 200).map((a) => a.body.error)).toEqual(Array(3 - winners.length).fill('invalid_grant'));
    for (const winner of winners) expect(await weatherStatus(winner.body.access_token as string)).toBe(401);
  });

  it('a code expires after five minutes', async () => {
    const { code, verifier } = await codeFor();
    gh.clock.advance(5 * 60_000);
    expect(await exchange({ code, redirect_uri: CALLBACK, code_verifier: verifier })).toMatchObject({ status: 400, body: { error: 'invalid_grant', error_description: expect.stringContaining('expired') } });
  });

  it('refuses a verifier for a code issued without a challenge (no PKCE downgrade)', async () => {
    const callback = await frontChannel({ response_type: 'code', client_id: 'web-app-client', redirect_uri: CALLBACK });
    const code = callback.searchParams.get('code') as string;
    expect(await exchange({ code, redirect_uri: CALLBACK, code_verifier: oidc.randomPKCECodeVerifier() })).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    // A confidential client may go without PKCE.
    expect((await exchange({ code, redirect_uri: CALLBACK })).status).toBe(200);
  });

  it('refuses the grant at a token endpoint that does not list it', async () => {
    const { code, verifier } = await codeFor();
    await applyFile(gh, FILE.replace('supportedGrantTypes: [authorization_code, refresh_token, client_credentials]', 'supportedGrantTypes: [client_credentials]'), { WEATHER_URL: weather.url });
    try {
      expect(await exchange({ code, redirect_uri: CALLBACK, code_verifier: verifier })).toMatchObject({ status: 400, body: { error: 'unsupported_grant_type' } });
    } finally {
      await applyFile(gh, FILE, { WEATHER_URL: weather.url });
    }
  });
});
