// VerifyAccessToken on opaque tokens, on real sockets: the token from a configured variable, products narrowed to
// paths and methods (apigee-model.md §2.6), scopes any-of, the flow variables of §2.7, expiry set per step, and
// tokens kept only as hashes.
import { createHash } from 'node:crypto';
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
          config: { operation: GenerateAccessToken }
  - name: token-short
    basePath: /oauth/token-short
    preFlow:
      request:
        - policy: oauth-v2
          config: { operation: GenerateAccessToken, expiresIn: 60000 }
  - name: weather
    basePath: /weather
    target: { url: "\${WEATHER_URL}" }
    preFlow:
      request:
        - policy: oauth-v2
          config: { operation: VerifyAccessToken, scope: "write read" }
      response:
        - policy: assign-message
          config:
            set:
              headers:
                x-client: "{client_id}"
                x-app: "{developer.app.name}"
                x-developer: "{developer.email}"
                x-product: "{apiproduct.name}"
                x-scope: "{scope}"
  - name: weather-header
    basePath: /weather-header
    target: { url: "\${WEATHER_URL}" }
    preFlow:
      request:
        - policy: oauth-v2
          config: { operation: VerifyAccessToken, accessToken: request.header.x-access-token }
products:
  - name: narrow
    apis:
      - token
      - token-short
      - name: weather
        resources: [{ path: /data/2.5/weather, methods: [GET] }]
      - weather-header
    scopes: [read]
developers:
  - email: dana@example.com
    firstName: Dana
    lastName: Developer
    apps:
      - name: narrow-app
        products: [narrow]
        credentials:
          - { clientId: narrow-client-0001, clientSecret: narrow-secret-0123456789 }
`;

const BASIC = `Basic ${Buffer.from('narrow-client-0001:narrow-secret-0123456789').toString('base64')}`;

let gh: Gatehouse;
let weather: { url: string; close(): Promise<void> };

beforeAll(async () => {
  weather = await startWeatherService(0);
  gh = await startGatehouse();
  await applyFile(gh, FILE, { WEATHER_URL: weather.url });
});
afterAll(async () => {
  await gh?.close();
  await weather?.close();
});

async function issue(path = '/oauth/token'): Promise<{ access_token: string; expires_in: number }> {
  const res = await fetch(`${gh.gateway}${path}`, { method: 'POST', headers: { authorization: BASIC, 'content-type': 'application/x-www-form-urlencoded' }, body: 'grant_type=client_credentials' });
  expect(res.status).toBe(200);
  return (await res.json()) as { access_token: string; expires_in: number };
}

async function call(path: string, headers: Record<string, string>, method = 'GET') {
  const res = await fetch(`${gh.gateway}${path}`, { method, headers });
  const text = await res.text();
  return { status: res.status, headers: res.headers, code: res.status === 200 ? undefined : (JSON.parse(text) as { code: string }).code };
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe('VerifyAccessToken', () => {
  it('sets the caller variables of apigee-model.md §2.7 once the token checks out, and lets one of the required scopes suffice', async () => {
    const { access_token } = await issue();
    const res = await call('/weather/data/2.5/weather?q=Berlin', bearer(access_token));
    expect(res.status).toBe(200);
    expect(['x-client', 'x-app', 'x-developer', 'x-product', 'x-scope'].map((h) => res.headers.get(h))).toEqual(['narrow-client-0001', 'narrow-app', 'dana@example.com', 'narrow', 'read']);
  });

  it('needs one of the token’s products to cover the path and the method, not only the API', async () => {
    const { access_token } = await issue();
    expect((await call('/weather/data/2.5/weather?q=Berlin', bearer(access_token))).status).toBe(200);
    expect(await call('/weather/data/2.5/forecast?q=Berlin', bearer(access_token))).toMatchObject({ status: 401, code: 'oauth.no_product_match' });
    expect(await call('/weather/data/2.5/weather?q=Berlin', bearer(access_token), 'DELETE')).toMatchObject({ status: 401, code: 'oauth.no_product_match' });
  });

  it('reads the token from the configured variable instead of the Authorization header', async () => {
    const { access_token } = await issue();
    expect((await call('/weather-header/data/2.5/weather?q=Berlin', { 'x-access-token': access_token })).status).toBe(200);
    expect(await call('/weather-header/data/2.5/weather?q=Berlin', bearer(access_token))).toMatchObject({ status: 401, code: 'oauth.missing_token' });
  });

  it('honours the expiry each GenerateAccessToken step sets, on the injected clock', async () => {
    const short = await issue('/oauth/token-short');
    const long = await issue();
    expect([short.expires_in, long.expires_in]).toEqual([60, 3600]);
    gh.clock.advance(60_000);
    expect(await call('/weather/data/2.5/weather?q=Berlin', bearer(short.access_token))).toMatchObject({ status: 401, code: 'oauth.token_expired' });
    expect((await call('/weather/data/2.5/weather?q=Berlin', bearer(long.access_token))).status).toBe(200);
  });

  it('keeps only a hash of an opaque token in the store', async () => {
    const { access_token } = await issue();
    const rows = await gh.running.store.db.selectFrom('oauth_tokens').selectAll().execute();
    expect(JSON.stringify(rows)).not.toContain(access_token);
    // Stored under the token's id part (its first 32 characters, no secret) followed by the SHA-256 of the whole token.
    expect(rows.map((r) => r.token_hash)).toContain(access_token.slice(0, 32) + createHash('sha256').update(access_token).digest('hex'));
  });
});
