// Discovery (RFC 8414), revocation (RFC 7009) and introspection (RFC 7662) with client authentication, driven by real
// client libraries (openid-client v6, oauth4webapi), for opaque and JWT access tokens and for refresh tokens.
import * as oauth from 'oauth4webapi';
import * as oidc from 'openid-client';
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
          config: { operation: GenerateAccessToken, supportedGrantTypes: [client_credentials, password, refresh_token], advertised: true }
  - name: token-jwt
    basePath: /oauth/jwt
    preFlow:
      request:
        - policy: oauth-v2
          config: { operation: GenerateAccessToken, tokenFormat: jwt }
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
  - name: introspect-any
    basePath: /oauth/introspect-any
    preFlow:
      request:
        - policy: oauth-v2
          config: { operation: IntrospectToken, introspectAnyClient: true }
  - name: weather
    basePath: /weather
    target: { url: "\${WEATHER_URL}" }
    preFlow:
      request:
        - policy: oauth-v2
          config: { operation: VerifyAccessToken }
products:
  - name: weather
    apis: [token, token-jwt, revoke, introspect, introspect-any, weather]
    scopes: [read]
developers:
  - email: dana@example.com
    firstName: Dana
    lastName: Developer
    apps:
      - name: app-a
        products: [weather]
        allowPasswordGrant: true
        credentials:
          - { clientId: client-a-0001, clientSecret: secret-a-0123456789 }
      - name: app-b
        products: [weather]
        credentials:
          - { clientId: client-b-0001, clientSecret: secret-b-0123456789 }
`;

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

function clientConfig(id: string, secret: string, options: { tokenPath?: string; introspectPath?: string; basic?: boolean } = {}): oidc.Configuration {
  const metadata: oidc.ServerMetadata = {
    issuer: gh.gateway,
    token_endpoint: `${gh.gateway}${options.tokenPath ?? '/oauth/token'}`,
    revocation_endpoint: `${gh.gateway}/oauth/revoke`,
    introspection_endpoint: `${gh.gateway}${options.introspectPath ?? '/oauth/introspect'}`,
  };
  const config = new oidc.Configuration(metadata, id, options.basic ? undefined : secret, options.basic ? oidc.ClientSecretBasic(secret) : undefined);
  oidc.allowInsecureRequests(config);
  return config;
}

const A = () => clientConfig('client-a-0001', 'secret-a-0123456789');
const B = () => clientConfig('client-b-0001', 'secret-b-0123456789');

async function weatherStatus(token: string): Promise<number> {
  const response = await fetch(`${gh.gateway}/weather/data/2.5/weather?q=Berlin`, { headers: { authorization: `Bearer ${token}` } });
  await response.arrayBuffer();
  return response.status;
}

describe('discovery (RFC 8414)', () => {
  it("lets openid-client's discovery() configure itself from the gateway URL, then get, introspect and revoke tokens", async () => {
    const config = await oidc.discovery(new URL(gh.gateway), 'client-a-0001', 'secret-a-0123456789', undefined, { execute: [oidc.allowInsecureRequests] });
    expect(config.serverMetadata()).toMatchObject({
      issuer: gh.gateway,
      token_endpoint: `${gh.gateway}/oauth/token`,
      revocation_endpoint: `${gh.gateway}/oauth/revoke`,
      introspection_endpoint: `${gh.gateway}/oauth/introspect`,
      jwks_uri: `${gh.gateway}/.well-known/jwks.json`,
      grant_types_supported: ['client_credentials', 'password', 'refresh_token'],
      token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'private_key_jwt', 'none'],
    });
    const { access_token: token } = await oidc.clientCredentialsGrant(config);
    expect(await oidc.tokenIntrospection(config, token)).toMatchObject({ active: true, client_id: 'client-a-0001' });
    await oidc.tokenRevocation(config, token);
    expect(await oidc.tokenIntrospection(config, token)).toEqual({ active: false });
  });

  it('serves the same document to oauth4webapi at /.well-known/oauth-authorization-server, which it checks and uses', async () => {
    const issuer = new URL(gh.gateway);
    const response = await oauth.discoveryRequest(issuer, { algorithm: 'oauth2', [oauth.allowInsecureRequests]: true });
    const as = await oauth.processDiscoveryResponse(issuer, response);
    expect(as.token_endpoint).toBe(`${gh.gateway}/oauth/token`);
    const client: oauth.Client = { client_id: 'client-b-0001' };
    const grant = await oauth.clientCredentialsGrantRequest(as, client, oauth.ClientSecretBasic('secret-b-0123456789'), new URLSearchParams(), { [oauth.allowInsecureRequests]: true });
    const tokens = await oauth.processClientCredentialsResponse(as, client, grant);
    expect(tokens.token_type).toBe('bearer');
    expect(await weatherStatus(tokens.access_token)).toBe(200);
  });
});

describe('introspection (RFC 7662)', () => {
  it('describes an active opaque token to its own client (client_secret_post and client_secret_basic alike)', async () => {
    const { access_token: token } = await oidc.clientCredentialsGrant(A());
    for (const config of [A(), clientConfig('client-a-0001', 'secret-a-0123456789', { basic: true })]) {
      const answer = await oidc.tokenIntrospection(config, token);
      expect(answer).toMatchObject({ active: true, client_id: 'client-a-0001', token_type: 'Bearer', scope: 'read', sub: 'client-a-0001', products: ['weather'] });
      expect(answer.exp! - answer.iat!).toBe(3600);
    }
  });

  it('describes a JWT access token the same way', async () => {
    const { access_token: token } = await oidc.clientCredentialsGrant(clientConfig('client-a-0001', 'secret-a-0123456789', { tokenPath: '/oauth/jwt' }));
    expect(token.split('.')).toHaveLength(3);
    expect(await oidc.tokenIntrospection(A(), token)).toMatchObject({ active: true, client_id: 'client-a-0001', token_type: 'Bearer' });
  });

  it('says only active: false for an unknown token, another client\'s token, and an expired one', async () => {
    expect(await oidc.tokenIntrospection(A(), 'not-a-token-at-all')).toEqual({ active: false });
    const { access_token: bToken } = await oidc.clientCredentialsGrant(B());
    expect(await oidc.tokenIntrospection(A(), bToken)).toEqual({ active: false });
    const { access_token: old } = await oidc.clientCredentialsGrant(A());
    gh.clock.advance(3_600_000);
    expect(await oidc.tokenIntrospection(A(), old)).toEqual({ active: false });
  });

  it("lets a resource server introspect other clients' tokens where the step allows it", async () => {
    const { access_token: bToken } = await oidc.clientCredentialsGrant(B());
    const resourceServer = clientConfig('client-a-0001', 'secret-a-0123456789', { introspectPath: '/oauth/introspect-any' });
    expect(await oidc.tokenIntrospection(resourceServer, bToken)).toMatchObject({ active: true, client_id: 'client-b-0001' });
  });

  it('refuses a caller without client authentication, or with a wrong secret, with 401 invalid_client', async () => {
    const none = await fetch(`${gh.gateway}/oauth/introspect`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'token=x' });
    expect(none.status).toBe(401);
    expect(await none.json()).toMatchObject({ error: 'invalid_client' });
    // RFC 6749 §5.2: a failed Basic-style authentication answers 401 with a challenge, which openid-client reports as such.
    await expect(oidc.tokenIntrospection(clientConfig('client-a-0001', 'wrong-secret-000000'), 'x')).rejects.toMatchObject({ name: 'WWWAuthenticateChallengeError', status: 401 });
  });
});

describe('revocation (RFC 7009)', () => {
  it('revokes an access token of the client: it stops working at once and introspects as inactive', async () => {
    const { access_token: token } = await oidc.clientCredentialsGrant(A());
    expect(await weatherStatus(token)).toBe(200);
    await oidc.tokenRevocation(A(), token);
    expect(await weatherStatus(token)).toBe(401);
    expect(await oidc.tokenIntrospection(A(), token)).toEqual({ active: false });
  });

  it('revokes a JWT access token too', async () => {
    const { access_token: token } = await oidc.clientCredentialsGrant(clientConfig('client-a-0001', 'secret-a-0123456789', { tokenPath: '/oauth/jwt' }));
    expect(await weatherStatus(token)).toBe(200);
    await oidc.tokenRevocation(A(), token);
    expect(await weatherStatus(token)).toBe(401);
  });

  it('revokes a refresh token and the access tokens of its grant (§2.1)', async () => {
    await gh.manage('POST', '/users', { email: 'ann@example.com', roles: [], password: 'a password of twelve+' });
    const form = new URLSearchParams({ grant_type: 'password', username: 'ann@example.com', password: 'a password of twelve+', client_id: 'client-a-0001', client_secret: 'secret-a-0123456789' });
    const pair = (await (await fetch(`${gh.gateway}/oauth/token`, { method: 'POST', body: form })).json()) as { access_token: string; refresh_token: string };
    expect(await weatherStatus(pair.access_token)).toBe(200);
    await oidc.tokenRevocation(A(), pair.refresh_token, { token_type_hint: 'refresh_token' });
    expect(await weatherStatus(pair.access_token)).toBe(401);
    await expect(oidc.refreshTokenGrant(A(), pair.refresh_token)).rejects.toMatchObject({ error: 'invalid_grant' });
  });

  it("answers 200 but changes nothing when a client tries to revoke another client's token, or an unknown one", async () => {
    const { access_token: bToken } = await oidc.clientCredentialsGrant(B());
    await oidc.tokenRevocation(A(), bToken);
    await oidc.tokenRevocation(A(), 'not-a-token-at-all');
    expect(await weatherStatus(bToken)).toBe(200);
  });

  it('needs client authentication', async () => {
    const none = await fetch(`${gh.gateway}/oauth/revoke`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'token=x' });
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/^Basic/);
  });
});
