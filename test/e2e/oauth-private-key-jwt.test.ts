// private_key_jwt client authentication (RFC 7523 §2.2) on real sockets: openid-client v6 and oauth4webapi discover
// the gateway, sign client assertions with keys whose public halves the app registered in a declarative file, and get
// client_credentials tokens; refusals over HTTP (replay, wrong key, the secret of a private_key_jwt app); and the
// management API's checks of registered keys.
import { generateKeyPairSync } from 'node:crypto';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import * as oauth from 'oauth4webapi';
import * as oidc from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWeatherService } from '../../examples/seed-walkthrough/weather-service.js';
import { applyFile, startGatehouse, type Gatehouse } from '../helpers/gatehouse.ts';

const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
const CLIENT = 'jwt-client-0001';
const SECRET = 'jwt-secret-0123456789';

interface Signer {
  kid: string;
  alg: string;
  privateKey: CryptoKey;
  jwk: Record<string, unknown>;
}

async function signer(alg: 'ES256' | 'EdDSA' | 'RS256' | 'PS256', kid: string): Promise<Signer> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  return { kid, alg, privateKey, jwk: { ...(await exportJWK(publicKey)), kid } };
}

let gh: Gatehouse;
let weather: { url: string; close(): Promise<void> };
let es: Signer;
let ed: Signer;
let rsa: Signer;
let pss: Signer;

const file = (jwks: unknown) => `
apis:
  - name: token
    basePath: /oauth/token
    preFlow:
      request:
        - policy: oauth-v2
          config: { operation: GenerateAccessToken, advertised: true }
  - name: revoke
    basePath: /oauth/revoke
    preFlow:
      request:
        - policy: oauth-v2
          config: { operation: RevokeToken }
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
    apis: [token, revoke, introspect, weather]
developers:
  - email: dana@example.com
    firstName: Dana
    lastName: Developer
    apps:
      - name: signed
        products: [weather]
        tokenEndpointAuthMethod: private_key_jwt
        jwks: ${JSON.stringify(jwks)}
        credentials:
          - { clientId: ${CLIENT}, clientSecret: ${SECRET} }
      - name: plain
        products: [weather]
        credentials:
          - { clientId: plain-client-0001, clientSecret: plain-secret-0123456789 }
`;

beforeAll(async () => {
  [es, ed, rsa, pss] = await Promise.all([signer('ES256', 'es-1'), signer('EdDSA', 'ed-1'), signer('RS256', 'rs-1'), signer('PS256', 'ps-1')]);
  weather = await startWeatherService(0, '127.0.0.1');
  gh = await startGatehouse();
  await applyFile(gh, file({ keys: [es.jwk, ed.jwk, rsa.jwk, pss.jwk] }), { WEATHER_URL: weather.url });
});

afterAll(async () => {
  await gh?.close();
  await weather?.close();
});

/** The client libraries sign with the real time; the gateway runs on a manual clock. Their skew setting bridges the two. */
const skew = () => Math.floor(gh.clock.now() / 1000) - Math.floor(Date.now() / 1000);

async function weatherStatus(token: string): Promise<number> {
  const response = await fetch(`${gh.gateway}/weather/data/2.5/weather?q=Berlin`, { headers: { authorization: `Bearer ${token}` } });
  await response.arrayBuffer();
  return response.status;
}

/** An assertion made by hand (jose), on the gateway's clock. */
async function assertion(key: Signer, claims: { aud?: string | string[]; exp?: number; jti?: string; iss?: string } = {}, kid = key.kid): Promise<string> {
  const now = Math.floor(gh.clock.now() / 1000);
  return new SignJWT({})
    .setProtectedHeader({ alg: key.alg, kid })
    .setIssuer(claims.iss ?? CLIENT)
    .setSubject(CLIENT)
    .setAudience(claims.aud ?? gh.gateway)
    .setIssuedAt(now)
    .setExpirationTime(claims.exp ?? now + 60)
    .setJti(claims.jti ?? crypto.randomUUID())
    .sign(key.privateKey);
}

async function token(form: Record<string, string>, headers: Record<string, string> = {}): Promise<{ status: number; body: Record<string, any>; challenge: string | null }> {
  const response = await fetch(`${gh.gateway}/oauth/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body: new URLSearchParams({ grant_type: 'client_credentials', ...form }) });
  return { status: response.status, body: (await response.json()) as Record<string, any>, challenge: response.headers.get('www-authenticate') };
}

describe('private_key_jwt with real clients', () => {
  it('advertises private_key_jwt and its algorithms in the metadata (RFC 8414 §2)', async () => {
    const metadata = (await (await fetch(`${gh.gateway}/.well-known/oauth-authorization-server`)).json()) as Record<string, unknown>;
    expect(metadata).toMatchObject({
      token_endpoint_auth_methods_supported: expect.arrayContaining(['private_key_jwt', 'client_secret_basic', 'none']),
      token_endpoint_auth_signing_alg_values_supported: expect.arrayContaining(['ES256', 'EdDSA', 'RS256', 'PS256']),
      introspection_endpoint_auth_methods_supported: expect.arrayContaining(['private_key_jwt']),
      revocation_endpoint_auth_methods_supported: expect.arrayContaining(['private_key_jwt']),
    });
    expect(metadata.token_endpoint_auth_signing_alg_values_supported).not.toContain('HS256');
  });

  it("openid-client discovers the gateway and gets, introspects and revokes tokens with client.PrivateKeyJwt (ES256, RS256)", async () => {
    for (const key of [es, rsa]) {
      const config = await oidc.discovery(new URL(gh.gateway), CLIENT, { [oidc.clockSkew]: skew() }, oidc.PrivateKeyJwt({ key: key.privateKey, kid: key.kid }), { execute: [oidc.allowInsecureRequests] });
      const { access_token: accessToken } = await oidc.clientCredentialsGrant(config);
      expect(await weatherStatus(accessToken)).toBe(200);
      expect(await oidc.tokenIntrospection(config, accessToken)).toMatchObject({ active: true, client_id: CLIENT });
      await oidc.tokenRevocation(config, accessToken);
      expect(await weatherStatus(accessToken)).toBe(401);
    }
  });

  it('oauth4webapi discovers the gateway and gets tokens with oauth.PrivateKeyJwt (Ed25519, PS256)', async () => {
    const issuer = new URL(gh.gateway);
    const as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, { algorithm: 'oauth2', [oauth.allowInsecureRequests]: true }));
    for (const key of [ed, pss]) {
      const client: oauth.Client = { client_id: CLIENT, [oauth.clockSkew]: skew() };
      const response = await oauth.clientCredentialsGrantRequest(as, client, oauth.PrivateKeyJwt({ key: key.privateKey, kid: key.kid }), new URLSearchParams(), { [oauth.allowInsecureRequests]: true });
      const tokens = await oauth.processClientCredentialsResponse(as, client, response);
      expect(await weatherStatus(tokens.access_token)).toBe(200);
    }
  });

  it('accepts the token endpoint URL as the audience, and a client_id that matches the assertion', async () => {
    const res = await token({ client_id: CLIENT, client_assertion_type: ASSERTION_TYPE, client_assertion: await assertion(es, { aud: `${gh.gateway}/oauth/token` }) });
    expect(res.status).toBe(200);
  });
});

describe('private_key_jwt refusals over HTTP', () => {
  it('refuses an assertion presented a second time (401 invalid_client)', async () => {
    const form = { client_assertion_type: ASSERTION_TYPE, client_assertion: await assertion(es) };
    expect((await token(form)).status).toBe(200);
    expect(await token(form)).toMatchObject({ status: 401, body: { error: 'invalid_client', error_description: expect.stringContaining('already used') } });
  });

  it('refuses an assertion signed with a key the app did not register, even under a registered kid', async () => {
    const stranger = await signer('ES256', 'es-1');
    expect(await token({ client_assertion_type: ASSERTION_TYPE, client_assertion: await assertion(stranger) })).toMatchObject({ status: 401, body: { error: 'invalid_client', error_description: expect.stringContaining('signature does not verify') } });
    expect(await token({ client_assertion_type: ASSERTION_TYPE, client_assertion: await assertion(stranger, {}, 'es-9') })).toMatchObject({ status: 401, body: { error_description: expect.stringContaining("kid 'es-9'") } });
  });

  it('refuses the client secret of a private_key_jwt app, with a Basic challenge (RFC 6749 §5.2)', async () => {
    const res = await token({}, { authorization: `Basic ${Buffer.from(`${CLIENT}:${SECRET}`).toString('base64')}` });
    expect(res).toMatchObject({ status: 401, body: { error: 'invalid_client', error_description: expect.stringContaining('private_key_jwt') } });
    expect(res.challenge).toMatch(/^Basic /);
    expect((await token({ client_id: CLIENT, client_secret: SECRET })).status).toBe(401);
  });

  it('refuses a client_assertion from an app registered for secrets', async () => {
    const res = await token({ client_assertion_type: ASSERTION_TYPE, client_assertion: await assertion(es, { iss: 'plain-client-0001' }), client_id: 'plain-client-0001' });
    expect(res).toMatchObject({ status: 401, body: { error: 'invalid_client', error_description: expect.stringContaining('not a client_assertion') } });
  });

  it('refuses an assertion for another audience, an expired one, one that lives too long, and alg none', async () => {
    expect(await token({ client_assertion_type: ASSERTION_TYPE, client_assertion: await assertion(es, { aud: 'https://other.example' }) })).toMatchObject({ status: 401, body: { error_description: expect.stringContaining('aud') } });
    const soon = await assertion(es, { exp: Math.floor(gh.clock.now() / 1000) + 30 });
    gh.clock.advance(120_000);
    expect(await token({ client_assertion_type: ASSERTION_TYPE, client_assertion: soon })).toMatchObject({ status: 401, body: { error_description: expect.stringContaining('expired') } });
    const long = await assertion(es, { exp: Math.floor(gh.clock.now() / 1000) + 3600 });
    expect(await token({ client_assertion_type: ASSERTION_TYPE, client_assertion: long })).toMatchObject({ status: 401, body: { error_description: expect.stringContaining('expires in 3600 s') } });
    const [, payload] = (await assertion(es)).split('.');
    const none = `${Buffer.from(JSON.stringify({ alg: 'none', kid: 'es-1' })).toString('base64url')}.${payload}.`;
    expect(await token({ client_assertion_type: ASSERTION_TYPE, client_assertion: none })).toMatchObject({ status: 401, body: { error_description: expect.stringContaining("alg 'none'") } });
  });
});

describe('registering keys through the management API', () => {
  const path = '/developers/dana%40example.com/apps';

  it('refuses a private key in jwks (400, naming the field)', async () => {
    const { privateKey } = await generateKeyPair('ES256', { extractable: true });
    const res = await gh.manage('POST', path, { name: 'leaky', tokenEndpointAuthMethod: 'private_key_jwt', jwks: { keys: [{ ...(await exportJWK(privateKey)), kid: 'k' }] } });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ code: 'request.invalid', errors: [expect.objectContaining({ path: '/jwks/keys/0/d' })] });
  });

  it('refuses keys that cannot verify assertions, and private_key_jwt without keys, with app.invalid_jwks', async () => {
    const short = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ format: 'jwk' });
    const res = await gh.manage('POST', path, { name: 'weak', tokenEndpointAuthMethod: 'private_key_jwt', jwks: { keys: [{ ...short, kid: 'weak' }] } });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ code: 'app.invalid_jwks', detail: expect.stringContaining('2048 bits'), errors: [{ path: '/jwks/keys/0', message: expect.stringContaining('2048 bits') }] });
    const bare = await gh.manage('POST', path, { name: 'bare', tokenEndpointAuthMethod: 'private_key_jwt' });
    expect(bare.status).toBe(400);
    expect(await bare.json()).toMatchObject({ code: 'app.invalid_jwks', errors: [{ path: '/jwks' }] });
  });

  it('switches an app to private_key_jwt by PUT: its secret stops working, its key starts', async () => {
    const app = (await (await gh.manage('GET', `${path}/plain`)).json()) as Record<string, unknown>;
    const { id: _id, developer: _developer, status: _status, credentials: _credentials, createdAt: _c, updatedAt: _u, ...spec } = app;
    const res = await gh.manage('PUT', `${path}/plain`, { ...spec, tokenEndpointAuthMethod: 'private_key_jwt', jwks: { keys: [es.jwk] } });
    expect(res.status).toBe(200);
    const basic = { authorization: `Basic ${Buffer.from('plain-client-0001:plain-secret-0123456789').toString('base64')}` };
    expect((await token({}, basic)).status).toBe(401);
    const now = Math.floor(gh.clock.now() / 1000);
    const signed = await new SignJWT({}).setProtectedHeader({ alg: 'ES256', kid: 'es-1' }).setIssuer('plain-client-0001').setSubject('plain-client-0001').setAudience(gh.gateway).setIssuedAt(now).setExpirationTime(now + 60).setJti('plain-1').sign(es.privateKey);
    expect((await token({ client_assertion_type: ASSERTION_TYPE, client_assertion: signed })).status).toBe(200);
  });
});
