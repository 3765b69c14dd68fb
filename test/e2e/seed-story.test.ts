// The seed story on real sockets: a token API, a weather API that verifies tokens, a product, a developer's app,
// and a client that gets a token with the app's credentials and calls through (see ../shared/seed and the README).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWeatherService } from '../../examples/seed-walkthrough/weather-service.js';
import { applyFile, startGatehouse, type Gatehouse } from '../helpers/gatehouse.ts';

// The file of the gateway issue, with a narrower second product and a scoped API added for the negative cases.
const FILE = `
apis:
  - name: token
    basePath: /oauth/token
    preFlow:
      request:
        - policy: oauth-v2
          config: { operation: GenerateAccessToken, supportedGrantTypes: [client_credentials], expiresIn: 3600000 }
  - name: token-sap
    basePath: /sap/token
    preFlow:
      request:
        - policy: oauth-v2
          config: { operation: GenerateAccessToken, dialect: apigee }
  - name: weather
    basePath: /weather
    target: { url: "\${WEATHER_URL}" }
    preFlow:
      request:
        - policy: oauth-v2
          config: { operation: VerifyAccessToken }
  - name: admin-weather
    basePath: /admin-weather
    target: { url: "\${WEATHER_URL}" }
    preFlow:
      request:
        - policy: oauth-v2
          config: { operation: VerifyAccessToken, scope: "write admin" }
  - name: revoke
    basePath: /oauth/revoke
    preFlow:
      request:
        - policy: oauth-v2
          config: { operation: InvalidateToken }
  - name: weather-limited
    basePath: /limited-weather
    target: { url: "\${WEATHER_URL}" }
    preFlow:
      request:
        - policy: oauth-v2
          config: { operation: VerifyAccessToken }
        - policy: quota
          config: { limit: 3, timeUnit: minute, useProductQuota: false }
products:
  - name: weather
    displayName: Weather
    apis: [token, token-sap, weather, admin-weather, weather-limited]
    scopes: [read]
    published: true
  - name: tokens-only
    apis: [token]
developers:
  - email: dana@example.com
    firstName: Dana
    lastName: Developer
    apps:
      - name: weather-app
        products: [weather]
        credentials:
          - clientId: "\${WEATHER_CLIENT_ID}"
            clientSecret: "\${WEATHER_CLIENT_SECRET}"
      - name: token-only-app
        products: [tokens-only]
        credentials:
          - { clientId: token-only-client-01, clientSecret: token-only-secret-0123456789 }
`;

const CLIENT_ID = 'weather-client-0001';
const CLIENT_SECRET = 'weather-secret-0123456789';
const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

let gh: Gatehouse;
let weather: { url: string; close(): Promise<void> };

async function tokenFor(id = CLIENT_ID, secret = CLIENT_SECRET, path = '/oauth/token'): Promise<string> {
  const res = await fetch(`${gh.gateway}${path}`, { method: 'POST', headers: { authorization: basic(id, secret), 'content-type': 'application/x-www-form-urlencoded' }, body: 'grant_type=client_credentials' });
  expect(res.status).toBe(200);
  return ((await res.json()) as { access_token: string }).access_token;
}

/** Lets the event loop turn (no timers) until the condition holds; records are written off the hot path. */
async function untilTrue(condition: () => boolean, turns = 1000): Promise<void> {
  for (let i = 0; i < turns && !condition(); i++) await new Promise((resolve) => setImmediate(resolve));
}

const callWeather = (token?: string, path = '/weather/data/2.5/weather?q=Berlin') => fetch(`${gh.gateway}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });

beforeAll(async () => {
  weather = await startWeatherService(0);
  gh = await startGatehouse();
  const env = { WEATHER_URL: weather.url, WEATHER_CLIENT_ID: CLIENT_ID, WEATHER_CLIENT_SECRET: CLIENT_SECRET };
  await applyFile(gh, FILE, env);
});
afterAll(async () => {
  await gh?.close();
  await weather?.close();
});

describe('the seed story', () => {
  it('answers 401 without a token, with an RFC 6750 challenge', async () => {
    const res = await callWeather();
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer realm="gatehouse"');
    expect(((await res.json()) as { code: string }).code).toBe('oauth.missing_token');
  });

  it('issues an RFC 6749 token to HTTP Basic client credentials', async () => {
    const res = await fetch(`${gh.gateway}/oauth/token`, { method: 'POST', headers: { authorization: basic(CLIENT_ID, CLIENT_SECRET), 'content-type': 'application/x-www-form-urlencoded' }, body: 'grant_type=client_credentials' });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toEqual({ access_token: expect.stringMatching(/^[0-9a-f]{32}[A-Za-z0-9_-]{43}$/), token_type: 'Bearer', expires_in: 3600, scope: 'read' });
  });

  it('issues a token to credentials in the form body, and reads grant_type from the query as Apigee allows', async () => {
    const form = await fetch(`${gh.gateway}/oauth/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `grant_type=client_credentials&client_id=${CLIENT_ID}&client_secret=${CLIENT_SECRET}` });
    expect(form.status).toBe(200);
    const query = await fetch(`${gh.gateway}/oauth/token?grant_type=client_credentials`, { method: 'POST', headers: { authorization: basic(CLIENT_ID, CLIENT_SECRET) } });
    expect(query.status).toBe(200);
  });

  it('lets the call through to the weather service with a token', async () => {
    const res = await callWeather(await tokenFor());
    expect(res.status).toBe(200);
    const body = (await res.json()) as { name: string; forwarded: { for: string; host: string } };
    expect(body.name).toBe('Berlin');
    expect(body.forwarded.for).toBe('127.0.0.1');
    expect(body.forwarded.host).toBe(new URL(gh.gateway).host);
  });

  it('answers the SAP/Apigee token shape when the step asks for it', async () => {
    const res = await fetch(`${gh.gateway}/sap/token`, { method: 'POST', headers: { authorization: basic(CLIENT_ID, CLIENT_SECRET), 'content-type': 'application/x-www-form-urlencoded' }, body: 'grant_type=client_credentials' });
    const body = (await res.json()) as Record<string, string>;
    expect(body).toMatchObject({ token_type: 'BearerToken', status: 'approved', client_id: CLIENT_ID, 'developer.email': 'dana@example.com', api_product_list: '[weather]', expires_in: '3599' });
    expect(typeof body.issued_at).toBe('string');
    expect((await callWeather(body.access_token)).status).toBe(200);
  });

  it('answers 401 for an unknown token', async () => {
    const res = await callWeather('not-a-token');
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toContain('error="invalid_token"');
    expect(((await res.json()) as { code: string }).code).toBe('oauth.invalid_token');
  });

  it('answers 401 for an expired token, on the injected clock', async () => {
    const token = await tokenFor();
    gh.clock.advance(3_600_000);
    const res = await callWeather(token);
    expect(res.status).toBe(401);
    expect(((await res.json()) as { code: string }).code).toBe('oauth.token_expired');
  });

  it('stops a token at once when its credential is revoked, and lets it through again once approved', async () => {
    const token = await tokenFor();
    const credential = `/developers/dana@example.com/apps/weather-app/credentials/${CLIENT_ID}`;
    expect((await gh.manage('POST', `${credential}/revoke`)).status).toBe(200);
    expect((await callWeather(token)).status).toBe(401);
    await gh.manage('POST', `${credential}/approve`);
    expect((await callWeather(token)).status).toBe(200);
  });

  it('stops tokens at once when the app is revoked or the developer deactivated', async () => {
    const token = await tokenFor();
    await gh.manage('POST', '/developers/dana@example.com/apps/weather-app/revoke');
    expect((await callWeather(token)).status).toBe(401);
    await gh.manage('POST', '/developers/dana@example.com/apps/weather-app/approve');
    await gh.manage('POST', '/developers/dana@example.com/deactivate');
    expect((await callWeather(token)).status).toBe(401);
    await gh.manage('POST', '/developers/dana@example.com/activate');
    expect((await callWeather(token)).status).toBe(200);
  });

  it('stops tokens at once when the product subscription is revoked', async () => {
    const token = await tokenFor();
    const product = `/developers/dana@example.com/apps/weather-app/credentials/${CLIENT_ID}/products/weather`;
    await gh.manage('POST', `${product}/revoke`);
    const res = await callWeather(token);
    expect(res.status).toBe(401);
    expect(((await res.json()) as { code: string }).code).toBe('oauth.no_product_match');
    await gh.manage('POST', `${product}/approve`);
  });

  it('revokes a token through an InvalidateToken step: it stops at once, and the endpoint reveals nothing', async () => {
    const token = await tokenFor();
    expect((await callWeather(token)).status).toBe(200);
    const revoke = (value: string) => fetch(`${gh.gateway}/oauth/revoke`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `token=${value}` });
    expect((await revoke(token)).status).toBe(200);
    const res = await callWeather(token);
    expect(res.status).toBe(401);
    expect(((await res.json()) as { code: string }).code).toBe('oauth.invalid_token');
    expect((await revoke('never-issued')).status).toBe(200);
  });

  it('answers 401 when the token’s products do not cover the API (the blog’s missing step)', async () => {
    const token = await tokenFor('token-only-client-01', 'token-only-secret-0123456789');
    const res = await callWeather(token);
    expect(res.status).toBe(401);
    const body = (await res.json()) as { code: string; detail: string };
    expect(body.code).toBe('oauth.no_product_match');
    expect(body.detail).toContain('tokens-only');
  });

  it('answers 403 when the token lacks every required scope', async () => {
    const res = await callWeather(await tokenFor(), '/admin-weather/data/2.5/weather');
    expect(res.status).toBe(403);
    expect(res.headers.get('www-authenticate')).toContain('error="insufficient_scope"');
    expect(res.headers.get('www-authenticate')).toContain('scope="write admin"');
  });

  it('answers 401 with an RFC 6749 body for a wrong secret', async () => {
    const res = await fetch(`${gh.gateway}/oauth/token`, { method: 'POST', headers: { authorization: basic(CLIENT_ID, 'wrong-secret-0123456789'), 'content-type': 'application/x-www-form-urlencoded' }, body: 'grant_type=client_credentials' });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toContain('Basic');
    expect(await res.json()).toEqual({ error: 'invalid_client', error_description: expect.stringContaining('client authentication failed') });
  });

  it('answers 400 for a missing or unsupported grant type', async () => {
    const missing = await fetch(`${gh.gateway}/oauth/token`, { method: 'POST', headers: { authorization: basic(CLIENT_ID, CLIENT_SECRET) } });
    expect(missing.status).toBe(400);
    expect(await missing.json()).toEqual({ error: 'invalid_request', error_description: 'Required param : grant_type' });
    const unsupported = await fetch(`${gh.gateway}/oauth/token`, { method: 'POST', headers: { authorization: basic(CLIENT_ID, CLIENT_SECRET), 'content-type': 'application/x-www-form-urlencoded' }, body: 'grant_type=authorization_code' });
    expect(unsupported.status).toBe(400);
    expect(((await unsupported.json()) as { error: string }).error).toBe('unsupported_grant_type');
  });

  it('answers 429 past the quota, saying when to come back, and lets calls through in the next window', async () => {
    gh.clock.set(Date.UTC(2026, 0, 2, 12, 0, 0)); // the start of a minute, so the window is all ours
    const token = await tokenFor();
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await callWeather(token, '/limited-weather/data/2.5/weather?q=Berlin')).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    gh.clock.advance(60_000);
    const allowed = await callWeather(token, '/limited-weather/data/2.5/weather?q=Berlin');
    expect([allowed.headers.get('ratelimit-limit'), allowed.headers.get('ratelimit-remaining'), allowed.headers.get('ratelimit-reset')]).toEqual(['3', '2', '60']);
    for (let i = 0; i < 2; i++) await callWeather(token, '/limited-weather/data/2.5/weather?q=Berlin');
    const refused = await callWeather(token, '/limited-weather/data/2.5/weather?q=Berlin');
    expect(refused.headers.get('retry-after')).toBe('60');
    expect(refused.headers.get('ratelimit-remaining')).toBe('0');
    expect(((await refused.json()) as { code: string }).code).toBe('quota.exceeded');
    gh.clock.advance(60_000);
    expect((await callWeather(token, '/limited-weather/data/2.5/weather?q=Berlin')).status).toBe(200);
  });

  it('answers 404 with a stable code where no API is deployed', async () => {
    const res = await fetch(`${gh.gateway}/nothing/here`);
    expect(res.status).toBe(404);
    expect(((await res.json()) as { code: string }).code).toBe('gateway.no_route');
  });

  it('writes one analytics record per call, with the app and product once verified', async () => {
    const before = gh.analytics.records.length;
    await callWeather(await tokenFor());
    await untilTrue(() => gh.analytics.records.length >= before + 2);
    const records = gh.analytics.records.slice(before);
    expect(records.map((r) => r.api)).toEqual(['token', 'weather']);
    expect(records[1]).toMatchObject({ api: 'weather', product: 'weather', app: 'weather-app', developer: 'dana@example.com', clientId: CLIENT_ID, method: 'GET', status: 200, faultCode: null });
    expect(records[1]?.targetLatencyMs).not.toBeNull();
  });
});
