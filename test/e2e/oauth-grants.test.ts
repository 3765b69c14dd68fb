// The password and refresh_token grants on real sockets: a token endpoint supporting every grant, apps with and without
// the password opt-in, a user made through the management API, and a protected API that verifies the tokens.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWeatherService } from '../../examples/seed-walkthrough/weather-service.js';
import { applyFile, startGatehouse, type Gatehouse } from '../helpers/gatehouse.ts';

const FILE = `
apis:
  - name: token
    basePath: /oauth/token
    preFlow:
      request:
        - policy: oauth-v2
          config: { operation: GenerateAccessToken, supportedGrantTypes: [client_credentials, password, refresh_token], expiresIn: 3600000, refreshTokenExpiresIn: 86400000 }
  - name: token-sap
    basePath: /sap/token
    preFlow:
      request:
        - policy: oauth-v2
          config: { operation: GenerateAccessToken, supportedGrantTypes: [password, refresh_token], dialect: apigee }
  - name: token-refresh
    basePath: /oauth/refresh
    preFlow:
      request:
        - policy: oauth-v2
          config: { operation: RefreshAccessToken, refreshTokenExpiresIn: 60000 }
  - name: token-short
    basePath: /oauth/short
    preFlow:
      request:
        - policy: oauth-v2
          config: { operation: GenerateAccessToken, supportedGrantTypes: [password, refresh_token], refreshTokenExpiresIn: 60000 }
  - name: weather
    basePath: /weather
    target: { url: "\${WEATHER_URL}" }
    preFlow:
      request:
        - policy: oauth-v2
          config: { operation: VerifyAccessToken }
      response:
        - policy: assign-message
          config: { set: { headers: { x-end-user: "{app_enduser}", x-grant-type: "{grant_type}" } }, ignoreUnresolvedVariables: true }
  - name: weather-write
    basePath: /weather-write
    target: { url: "\${WEATHER_URL}" }
    preFlow:
      request:
        - policy: oauth-v2
          config: { operation: VerifyAccessToken, scope: write }
products:
  - name: weather
    apis: [token, token-sap, token-refresh, token-short, weather, weather-write]
    scopes: [read, write]
developers:
  - email: dana@example.com
    firstName: Dana
    lastName: Developer
    apps:
      - name: mobile-app
        products: [weather]
        allowPasswordGrant: true
        credentials:
          - { clientId: mobile-client-0001, clientSecret: mobile-secret-0123456789 }
      - name: other-mobile-app
        products: [weather]
        allowPasswordGrant: true
        credentials:
          - { clientId: other-client-0001, clientSecret: other-secret-0123456789 }
      - name: server-app
        products: [weather]
        credentials:
          - { clientId: server-client-0001, clientSecret: server-secret-0123456789 }
`;

const MOBILE = { id: 'mobile-client-0001', secret: 'mobile-secret-0123456789' };
const OTHER = { id: 'other-client-0001', secret: 'other-secret-0123456789' };
const SERVER = { id: 'server-client-0001', secret: 'server-secret-0123456789' };
const USER = { email: 'alice@example.com', password: 'correct horse battery staple' };
const basic = (c: { id: string; secret: string }) => `Basic ${Buffer.from(`${c.id}:${c.secret}`).toString('base64')}`;

let gh: Gatehouse;
let weather: { url: string; close(): Promise<void> };

interface TokenResponse {
  status: number;
  body: Record<string, any>;
}

async function token(form: Record<string, string>, client = MOBILE, path = '/oauth/token'): Promise<TokenResponse> {
  const res = await fetch(`${gh.gateway}${path}`, { method: 'POST', headers: { authorization: basic(client), 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form).toString() });
  expect(res.headers.get('cache-control')).toBe('no-store');
  return { status: res.status, body: (await res.json()) as Record<string, any> };
}

const passwordGrant = (extra: Record<string, string> = {}, client = MOBILE, path?: string) => token({ grant_type: 'password', username: USER.email, password: USER.password, ...extra }, client, path);
const refresh = (refreshToken: string, extra: Record<string, string> = {}, client = MOBILE, path?: string) => token({ grant_type: 'refresh_token', refresh_token: refreshToken, ...extra }, client, path);
const callWeather = (accessToken: string, path = '/weather/data/2.5/weather?q=Berlin') => fetch(`${gh.gateway}${path}`, { headers: { authorization: `Bearer ${accessToken}` } });

beforeAll(async () => {
  weather = await startWeatherService(0);
  gh = await startGatehouse();
  await applyFile(gh, FILE, { WEATHER_URL: weather.url });
  const created = await gh.manage('POST', '/users', { email: USER.email, roles: [], password: USER.password });
  expect(created.status).toBe(201);
  const inactive = await gh.manage('POST', '/users', { email: 'inactive@example.com', roles: [], password: USER.password, status: 'inactive' });
  expect(inactive.status).toBe(201);
});
afterAll(async () => {
  await gh?.close();
  await weather?.close();
});

describe('the password grant', () => {
  it('issues an access token and a refresh token; the access token calls a protected API as the user', async () => {
    const res = await passwordGrant();
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ access_token: expect.stringMatching(/^[0-9a-f]{32}[A-Za-z0-9_-]{43}$/), token_type: 'Bearer', expires_in: 3600, scope: 'read write', refresh_token: expect.stringMatching(/^[0-9a-f]{32}[A-Za-z0-9_-]{43}$/) });
    const call = await callWeather(res.body.access_token);
    expect(call.status).toBe(200);
    // The API's response flow copies the flow variables VerifyAccessToken set into headers.
    expect(call.headers.get('x-end-user')).toBe(USER.email);
    expect(call.headers.get('x-grant-type')).toBe('password');
  });

  it('refuses an app that did not opt in with unauthorized_client, saying how to enable it', async () => {
    const res = await passwordGrant({}, SERVER);
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: 'unauthorized_client', error_description: expect.stringContaining('allowPasswordGrant: true') });
  });

  it('answers invalid_grant with one message for a wrong password, an unknown user and an inactive one', async () => {
    const wrong = await passwordGrant({ password: 'wrong horse battery staple' });
    const unknown = await passwordGrant({ username: 'nobody@example.com' });
    const inactive = await passwordGrant({ username: 'inactive@example.com' });
    for (const res of [wrong, unknown, inactive]) {
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ error: 'invalid_grant', error_description: 'The user name or password is wrong.' });
    }
  });

  it('still issues no refresh token to client credentials (RFC 6749 §4.4.3)', async () => {
    const res = await token({ grant_type: 'client_credentials' }, SERVER);
    expect(res.status).toBe(200);
    expect(res.body.refresh_token).toBeUndefined();
    const call = await callWeather(res.body.access_token);
    expect(call.status).toBe(200);
    expect(call.headers.get('x-grant-type')).toBe('client_credentials');
    expect(call.headers.get('x-end-user') ?? '').toBe('');
  });

  it("answers Apigee's shape in the apigee dialect", async () => {
    const res = await passwordGrant({}, MOBILE, '/sap/token');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      token_type: 'BearerToken',
      status: 'approved',
      client_id: MOBILE.id,
      'developer.email': 'dana@example.com',
      api_product_list: '[weather]',
      scope: 'read write',
      expires_in: '3599',
      refresh_token: expect.any(String),
      refresh_token_expires_in: '86399',
      refresh_token_issued_at: String(gh.clock.now()),
      refresh_token_status: 'approved',
      refresh_count: '0',
    });
    const refreshed = await refresh(res.body.refresh_token, {}, MOBILE, '/sap/token');
    expect(refreshed.body).toMatchObject({ refresh_count: '1', token_type: 'BearerToken' });
    expect((await callWeather(refreshed.body.access_token)).status).toBe(200);
  });
});

describe('the refresh_token grant', () => {
  it('rotates: a new access token and refresh token; the old refresh token is refused', async () => {
    const first = (await passwordGrant()).body;
    const second = await refresh(first.refresh_token);
    expect(second.status).toBe(200);
    expect(second.body.refresh_token).toEqual(expect.any(String));
    expect(second.body.refresh_token).not.toBe(first.refresh_token);
    expect((await callWeather(second.body.access_token)).status).toBe(200);
    const again = await refresh(first.refresh_token);
    expect(again.status).toBe(400);
    expect(again.body.error).toBe('invalid_grant');
  });

  it('revokes the whole family when an old refresh token is reused: the latest access token stops working', async () => {
    const first = (await passwordGrant()).body;
    const second = (await refresh(first.refresh_token)).body;
    const third = (await refresh(second.refresh_token)).body;
    expect((await callWeather(third.access_token)).status).toBe(200);
    const reuse = await refresh(first.refresh_token);
    expect(reuse.status).toBe(400);
    expect(reuse.body.error).toBe('invalid_grant');
    const latest = await callWeather(third.access_token);
    expect(latest.status).toBe(401);
    expect(((await latest.json()) as { code: string }).code).toBe('oauth.invalid_token');
    expect((await refresh(third.refresh_token)).body.error).toBe('invalid_grant');
  });

  it("refuses another client's refresh token with invalid_grant", async () => {
    const first = (await passwordGrant()).body;
    const res = await refresh(first.refresh_token, {}, OTHER);
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('invalid_grant');
    // The rightful client can still use it.
    expect((await refresh(first.refresh_token)).status).toBe(200);
  });

  it('narrows the scope on refresh, and refuses to widen it with invalid_scope', async () => {
    const first = (await passwordGrant({ scope: 'read' })).body;
    expect(first.scope).toBe('read');
    const wider = await refresh(first.refresh_token, { scope: 'read write' });
    expect(wider.status).toBe(400);
    expect(wider.body.error).toBe('invalid_scope');
    const full = (await passwordGrant()).body;
    const narrowed = await refresh(full.refresh_token, { scope: 'read' });
    expect(narrowed.status).toBe(200);
    expect(narrowed.body.scope).toBe('read');
    expect((await callWeather(narrowed.body.access_token, '/weather-write/data/2.5/weather?q=Berlin')).status).toBe(403);
    expect((await callWeather(full.access_token, '/weather-write/data/2.5/weather?q=Berlin')).status).toBe(200);
  });

  it('refreshes on a RefreshAccessToken endpoint, which takes no other grant', async () => {
    const first = (await passwordGrant()).body;
    const res = await refresh(first.refresh_token, {}, MOBILE, '/oauth/refresh');
    expect(res.status).toBe(200);
    expect((await callWeather(res.body.access_token)).status).toBe(200);
    const cc = await token({ grant_type: 'client_credentials' }, MOBILE, '/oauth/refresh');
    expect(cc.status).toBe(400);
    expect(cc.body.error).toBe('unsupported_grant_type');
  });

  it('refuses an expired refresh token, on the injected clock', async () => {
    const first = (await passwordGrant({}, MOBILE, '/oauth/short')).body;
    gh.clock.advance(60_000);
    const res = await refresh(first.refresh_token, {}, MOBILE, '/oauth/short');
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: 'invalid_grant', error_description: 'Refresh Token expired' });
  });
});
