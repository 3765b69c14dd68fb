// JWT access tokens (RFC 9068) on real sockets: issued by an oauth-v2 step with `tokenFormat: jwt`, verified by jose
// against the JWKS the gateway publishes, accepted by VerifyAccessToken without a store read, refused when tampered
// with, unsigned, signed by an unknown key, expired or revoked.
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
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
          config: { operation: GenerateAccessToken, tokenFormat: jwt, expiresIn: 600000, supportedGrantTypes: [client_credentials, password, refresh_token] }
  - name: token-eddsa
    basePath: /oauth/token-eddsa
    preFlow:
      request:
        - policy: oauth-v2
          config: { operation: GenerateAccessToken, tokenFormat: jwt, algorithm: EdDSA }
  - name: revoke
    basePath: /oauth/revoke
    preFlow:
      request:
        - policy: oauth-v2
          config: { operation: InvalidateToken }
  - name: weather
    basePath: /weather
    target: { url: "\${WEATHER_URL}" }
    preFlow:
      request:
        - policy: oauth-v2
          config: { operation: VerifyAccessToken }
      response:
        - policy: assign-message
          config: { set: { headers: { x-client: "{client_id}", x-product: "{apiproduct.name}" } } }
products:
  - name: weather
    apis: [token, token-eddsa, revoke, weather]
developers:
  - email: dana@example.com
    firstName: Dana
    lastName: Developer
    apps:
      - name: weather-app
        products: [weather]
        allowPasswordGrant: true
        credentials:
          - { clientId: jwt-client-0001, clientSecret: jwt-secret-0123456789 }
`;

const BASIC = `Basic ${Buffer.from('jwt-client-0001:jwt-secret-0123456789').toString('base64')}`;
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

let gh: Gatehouse;
let weather: { url: string; close(): Promise<void> };

beforeAll(async () => {
  weather = await startWeatherService(0, '127.0.0.1');
  gh = await startGatehouse();
  await applyFile(gh, FILE, { WEATHER_URL: weather.url });
});

afterAll(async () => {
  await gh?.close();
  await weather?.close();
});

async function token(path = '/oauth/token', body = 'grant_type=client_credentials'): Promise<any> {
  const response = await fetch(`${gh.gateway}${path}`, { method: 'POST', headers: { authorization: BASIC, 'content-type': 'application/x-www-form-urlencoded' }, body });
  expect(response.status).toBe(200);
  return response.json();
}

async function callWeather(accessToken: string): Promise<{ status: number; body: any; headers: Headers }> {
  const response = await fetch(`${gh.gateway}/weather/data/2.5/weather?q=Berlin`, { headers: { authorization: `Bearer ${accessToken}` } });
  return { status: response.status, body: await response.json(), headers: response.headers };
}

const now = () => new Date(gh.clock.now());

describe('JWT access tokens', () => {
  it('issues an ES256 JWT that jose verifies against the JWKS the gateway publishes (RFC 9068 claims and typ)', async () => {
    const issued = await token();
    expect(issued).toMatchObject({ token_type: 'Bearer', expires_in: 600 });
    const jwks = createRemoteJWKSet(new URL(`${gh.gateway}/.well-known/jwks.json`));
    const { payload, protectedHeader } = await jwtVerify(issued.access_token, jwks, { issuer: gh.gateway, audience: gh.gateway, typ: 'at+jwt', algorithms: ['ES256'], currentDate: now() });
    expect(protectedHeader).toMatchObject({ alg: 'ES256', typ: 'at+jwt' });
    expect(payload).toMatchObject({ iss: gh.gateway, aud: gh.gateway, sub: 'jwt-client-0001', client_id: 'jwt-client-0001', gty: 'client_credentials', products: ['weather'] });
    expect(payload.exp! - payload.iat!).toBe(600);
    expect(typeof payload.jti).toBe('string');
  });

  it('serves the key set with a cache lifetime, and never a private part', async () => {
    const response = await fetch(`${gh.gateway}/.well-known/jwks.json`);
    expect(response.headers.get('cache-control')).toBe('public, max-age=300');
    const { keys } = (await response.json()) as { keys: Array<Record<string, unknown>> };
    expect(keys.length).toBeGreaterThan(0);
    for (const key of keys) {
      expect(key).toMatchObject({ use: 'sig' });
      expect(key).not.toHaveProperty('d');
    }
  });

  it('is accepted by VerifyAccessToken, which sets the caller variables from the token', async () => {
    const { access_token: jwt } = await token();
    const call = await callWeather(jwt);
    expect(call.status).toBe(200);
    expect(call.headers.get('x-client')).toBe('jwt-client-0001');
    expect(call.headers.get('x-product')).toBe('weather');
  });

  it('signs with EdDSA where a step asks for it; both keys are in the JWKS and both tokens pass', async () => {
    const { access_token: jwt } = await token('/oauth/token-eddsa');
    expect(decodeProtectedHeader(jwt).alg).toBe('EdDSA');
    const jwks = createRemoteJWKSet(new URL(`${gh.gateway}/.well-known/jwks.json`));
    await jwtVerify(jwt, jwks, { issuer: gh.gateway, typ: 'at+jwt', currentDate: now() });
    expect((await callWeather(jwt)).status).toBe(200);
  });

  it('refuses a tampered payload, alg none, an unknown kid and HS256 signed with the public key', async () => {
    const { access_token: jwt } = await token();
    const [h, p, sig] = jwt.split('.');
    const header = JSON.parse(Buffer.from(h, 'base64url').toString());
    const payload = JSON.parse(Buffer.from(p, 'base64url').toString());
    const forged = [
      `${h}.${b64({ ...payload, products: ['everything'] })}.${sig}`,
      `${b64({ ...header, alg: 'none' })}.${p}.`,
      `${b64({ ...header, kid: 'not-a-key-of-ours' })}.${p}.${sig}`,
      `${b64({ ...header, alg: 'HS256' })}.${p}.${sig}`,
    ];
    for (const bad of forged) {
      const call = await callWeather(bad);
      expect(call.status, bad.slice(0, 40)).toBe(401);
      expect(call.body.code).toBe('oauth.invalid_token');
    }
  });

  it('refuses a JWT once it has expired', async () => {
    const { access_token: jwt } = await token();
    gh.clock.advance(600_000);
    const call = await callWeather(jwt);
    expect(call.status).toBe(401);
    expect(call.body.code).toBe('oauth.token_expired');
  });

  it('refuses a revoked JWT at once (InvalidateToken), while other tokens keep working', async () => {
    const { access_token: revoked } = await token();
    const { access_token: kept } = await token();
    const answer = await fetch(`${gh.gateway}/oauth/revoke`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `token=${revoked}` });
    expect(answer.status).toBe(200);
    const call = await callWeather(revoked);
    expect(call.status).toBe(401);
    expect(call.body.code).toBe('oauth.invalid_token');
    expect((await callWeather(kept)).status).toBe(200);
  });

  it('keeps refresh tokens opaque and issues a JWT on refresh; reusing a rotated refresh token revokes the JWTs of the chain', async () => {
    await gh.manage('POST', '/users', { email: 'ann@example.com', roles: [], password: 'a password of twelve+' });
    const first = await token('/oauth/token', `grant_type=password&username=ann%40example.com&password=${encodeURIComponent('a password of twelve+')}`);
    expect(first.access_token.split('.')).toHaveLength(3);
    expect(first.refresh_token.split('.')).toHaveLength(1);
    const second = await token('/oauth/token', `grant_type=refresh_token&refresh_token=${first.refresh_token}`);
    expect((await callWeather(second.access_token)).status).toBe(200);

    const reuse = await fetch(`${gh.gateway}/oauth/token`, { method: 'POST', headers: { authorization: BASIC, 'content-type': 'application/x-www-form-urlencoded' }, body: `grant_type=refresh_token&refresh_token=${first.refresh_token}` });
    expect(reuse.status).toBe(400);
    expect((await callWeather(second.access_token)).status).toBe(401);
  });
});
