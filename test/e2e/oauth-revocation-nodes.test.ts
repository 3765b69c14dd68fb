// Revocation across nodes: two `gatehouse start` processes share one store (a SQLite file in WAL mode, and PostgreSQL
// when one is configured). A JWT revoked on node A is refused on node B without restarting B, although B verifies
// JWTs without reading the store: B's revocation feed polls the store. An opaque token B had cached goes the same way,
// and a key rotated on A is taken up by B within seconds.
import { decodeProtectedHeader } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWeatherService } from '../../examples/seed-walkthrough/weather-service.js';
import { apply } from '../../src/declarative/apply.ts';
import { httpClient } from '../../src/declarative/client.ts';
import { parseDesiredState } from '../../src/declarative/file.ts';
import { CliSession, startEnv, type EnvOverrides, type StartedCli } from '../helpers/cli-process.ts';
import { eventually, SHARED_STORES } from '../helpers/shared-store.ts';

const ADMIN_TOKEN = 'nodes-e2e-admin-token-0123456789abcdef';
const FILE = `
apis:
  - name: token
    basePath: /oauth/token
    preFlow:
      request:
        - policy: oauth-v2
          config: { operation: GenerateAccessToken, tokenFormat: jwt }
  - name: token-opaque
    basePath: /oauth/token-opaque
    preFlow:
      request:
        - policy: oauth-v2
          config: { operation: GenerateAccessToken }
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
products:
  - name: weather
    apis: [token, token-opaque, revoke, weather]
developers:
  - email: dana@example.com
    firstName: Dana
    lastName: Developer
    apps:
      - name: weather-app
        products: [weather]
        credentials:
          - { clientId: nodes-client-0001, clientSecret: nodes-secret-0123456789 }
`;
const kidOf = (jwt: string) => decodeProtectedHeader(jwt).kid;
const BASIC = `Basic ${Buffer.from('nodes-client-0001:nodes-secret-0123456789').toString('base64')}`;

for (const backend of SHARED_STORES) describe.skipIf(!backend.available())(`two nodes sharing ${backend.name}`, () => {
  const session = new CliSession({ urgent: true });
  let shared: { env: EnvOverrides; drop(): Promise<void> } | undefined;
  let weather: { url: string; close(): Promise<void> } | undefined;
  let a: StartedCli;
  let b: StartedCli;

  const nodeEnv = (): EnvOverrides => ({
    ...startEnv(session.tempDir(), shared?.env),
    GATEHOUSE_GATEWAY_HOST: '127.0.0.1',
    GATEHOUSE_HUB_HOST: '127.0.0.1',
    GATEHOUSE_ADMIN_TOKEN: ADMIN_TOKEN,
    // Every node of a cluster names the same issuer; by default each would name its own URL.
    GATEHOUSE_OAUTH_ISSUER: 'https://auth.example.test',
    GATEHOUSE_OAUTH_REVOCATION_POLL_INTERVAL_MS: '200',
  });

  async function token(node: StartedCli, path = '/oauth/token'): Promise<string> {
    const response = await fetch(`${node.urls.gateway}${path}`, { method: 'POST', headers: { authorization: BASIC, 'content-type': 'application/x-www-form-urlencoded' }, body: 'grant_type=client_credentials' });
    expect(response.status, await response.clone().text()).toBe(200);
    return ((await response.json()) as { access_token: string }).access_token;
  }

  async function revoke(node: StartedCli, accessToken: string): Promise<void> {
    const response = await fetch(`${node.urls.gateway}/oauth/revoke`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `token=${accessToken}` });
    expect(response.status).toBe(200);
  }

  async function weatherStatus(node: StartedCli, accessToken: string): Promise<number> {
    const response = await fetch(`${node.urls.gateway}/weather/data/2.5/weather?q=Berlin`, { headers: { authorization: `Bearer ${accessToken}` } });
    await response.arrayBuffer();
    return response.status;
  }

  beforeAll(async () => {
    weather = await startWeatherService(0, '127.0.0.1');
    shared = await backend.store(session);
    a = await session.start([], nodeEnv());
    // B starts after the deployment and loads it then (test/e2e/gateway-nodes.test.ts shows later ones reaching a
    // running node through the change log).
    await apply(httpClient(a.urls.admin, ADMIN_TOKEN), parseDesiredState(FILE, { WEATHER_URL: weather.url }));
    b = await session.start([], nodeEnv());
  }, 120_000);

  afterAll(async () => {
    await session.cleanup();
    await shared?.drop();
    await weather?.close();
  });

  it('refuses on node B a JWT revoked on node A, without restarting B; other tokens keep working', { timeout: 60_000 }, async () => {
    const revoked = await token(a);
    const kept = await token(a);
    expect(await weatherStatus(b, revoked)).toBe(200);
    expect(await weatherStatus(b, kept)).toBe(200);

    await revoke(a, revoked);
    expect(await weatherStatus(a, revoked)).toBe(401); // at once where it was revoked
    await eventually('node B refuses the revoked JWT', async () => (await weatherStatus(b, revoked)) === 401);

    expect(b.process.running).toBe(true);
    expect(await weatherStatus(b, kept)).toBe(200);
    expect(await weatherStatus(a, kept)).toBe(200);
  });

  it('refuses on node A a JWT issued and revoked on node B', { timeout: 60_000 }, async () => {
    const issued = await token(b);
    expect(await weatherStatus(a, issued)).toBe(200);
    await revoke(b, issued);
    await eventually('node A refuses the JWT revoked on node B', async () => (await weatherStatus(a, issued)) === 401);
  });

  it('accepts on node B the tokens of a key rotated on node A, and B then signs with the new key too', { timeout: 60_000 }, async () => {
    const before = await token(b);
    const response = await fetch(`${a.urls.admin}/api/v1/oauth/signing-keys/rotation`, { method: 'POST', headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' }, body: '{}' });
    expect(response.status).toBe(200);
    const { rotated } = (await response.json()) as { rotated: Array<{ kid: string; replaced: string }> };
    expect(rotated[0]?.replaced).toBe(kidOf(before));

    const fromA = await token(a);
    expect(kidOf(fromA)).toBe(rotated[0]?.kid);
    // B reads the keys again when a token names a kid it does not know (at most every 10 s) and on its key check
    // (every 5 s), whichever comes first; then it accepts the new key's tokens and signs with it.
    await eventually('node B accepts a token of the new key', async () => (await weatherStatus(b, fromA)) === 200);
    expect(kidOf(await token(b))).toBe(rotated[0]?.kid);
    // What the old key signed still verifies on both nodes: it stays published for the overlap.
    expect(await weatherStatus(a, before)).toBe(200);
    expect(await weatherStatus(b, before)).toBe(200);
  });

  it('drops from node B\'s cache an opaque token revoked on node A', { timeout: 60_000 }, async () => {
    const opaque = await token(a, '/oauth/token-opaque');
    expect(opaque.split('.')).toHaveLength(1);
    expect(await weatherStatus(b, opaque)).toBe(200); // B now holds it in its cache
    await revoke(a, opaque);
    await eventually('node B refuses the revoked opaque token', async () => (await weatherStatus(b, opaque)) === 401);
  });
});
