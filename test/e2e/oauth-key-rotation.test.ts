// Rotating the JWT signing keys by command, on real sockets: through the management API and through the CLI (a real
// `gatehouse` process). A token signed before a rotation still verifies (jose against the JWKS, and VerifyAccessToken)
// while the old key is published for the overlap; tokens after it carry the new kid; only admins may rotate.
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWeatherService } from '../../examples/seed-walkthrough/weather-service.js';
import { ChangeFeed } from '../../src/manage/changes.ts';
import { SYSTEM_ACTOR } from '../../src/manage/context.ts';
import { createPersonalToken, createUser } from '../../src/manage/users.ts';
import { CliSession } from '../helpers/cli-process.ts';
import { ADMIN_TOKEN, applyFile, startGatehouse, type Gatehouse } from '../helpers/gatehouse.ts';

const DAY = 86_400_000;

const FILE = `
apis:
  - name: token
    basePath: /oauth/token
    preFlow:
      request:
        - policy: oauth-v2
          config: { operation: GenerateAccessToken, tokenFormat: jwt, expiresIn: ${2 * DAY} }
  - name: token-rs256
    basePath: /oauth/token-rs256
    preFlow:
      request:
        - policy: oauth-v2
          config: { operation: GenerateAccessToken, tokenFormat: jwt, algorithm: RS256 }
  - name: weather
    basePath: /weather
    target: { url: "\${WEATHER_URL}" }
    preFlow:
      request:
        - policy: oauth-v2
          config: { operation: VerifyAccessToken }
products:
  - name: weather
    apis: [token, token-rs256, weather]
developers:
  - email: dana@example.com
    firstName: Dana
    lastName: Developer
    apps:
      - name: weather-app
        products: [weather]
        credentials:
          - { clientId: rotation-client-0001, clientSecret: rotation-secret-0123456789 }
`;

const BASIC = `Basic ${Buffer.from('rotation-client-0001:rotation-secret-0123456789').toString('base64')}`;

let gh: Gatehouse;
let weather: { url: string; close(): Promise<void> };
let viewerToken: string;
const cli = new CliSession();

beforeAll(async () => {
  weather = await startWeatherService(0, '127.0.0.1');
  gh = await startGatehouse();
  await applyFile(gh, FILE, { WEATHER_URL: weather.url });
  const deps = { store: gh.running.store, clock: gh.clock, changes: new ChangeFeed() };
  const { view } = await createUser(deps, SYSTEM_ACTOR, { email: 'vera@example.com', roles: ['viewer'], status: 'active' });
  viewerToken = (await createPersonalToken(deps, { name: view.email, userId: view.id, roles: view.roles }, { name: 'rotation-test' })).token as string;
});

afterAll(async () => {
  await cli.cleanup();
  await gh?.close();
  await weather?.close();
});

async function token(path = '/oauth/token'): Promise<string> {
  const response = await fetch(`${gh.gateway}${path}`, { method: 'POST', headers: { authorization: BASIC, 'content-type': 'application/x-www-form-urlencoded' }, body: 'grant_type=client_credentials' });
  expect(response.status).toBe(200);
  return ((await response.json()) as { access_token: string }).access_token;
}

async function callWeather(accessToken: string): Promise<{ status: number; code?: string }> {
  const response = await fetch(`${gh.gateway}/weather/data/2.5/weather?q=Berlin`, { headers: { authorization: `Bearer ${accessToken}` } });
  const body = (await response.json()) as { code?: string };
  return { status: response.status, code: body.code };
}

async function jwks() {
  return (await (await fetch(`${gh.gateway}/.well-known/jwks.json`)).json()) as { keys: Array<{ kid: string; alg: string }> };
}

async function verifiesWithJose(jwt: string): Promise<void> {
  await jwtVerify(jwt, createLocalJWKSet(await jwks()), { issuer: gh.gateway, audience: gh.gateway, typ: 'at+jwt', currentDate: new Date(gh.clock.now()) });
}

async function keys(as = ADMIN_TOKEN): Promise<{ status: number; body: any }> {
  const response = await fetch(`${gh.admin}/api/v1/oauth/signing-keys`, { headers: { authorization: `Bearer ${as}` } });
  return { status: response.status, body: await response.json() };
}

async function rotate(body: unknown, as = ADMIN_TOKEN): Promise<{ status: number; body: any }> {
  const response = await fetch(`${gh.admin}/api/v1/oauth/signing-keys/rotation`, {
    method: 'POST',
    headers: { authorization: `Bearer ${as}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: await response.json() };
}

const kidOf = (jwt: string) => decodeProtectedHeader(jwt).kid as string;

describe('signing keys by command', () => {
  it('lists the keys with their kid, algorithm, state and times, and never a private part', async () => {
    const jwt = await token();
    const { status, body } = await keys();
    expect(status).toBe(200);
    expect(body.items).toEqual([
      { kid: kidOf(jwt), algorithm: 'ES256', state: 'current', createdAt: '2026-01-01T00:00:00.000Z', activatesAt: '2026-01-01T00:00:00.000Z', retiresAt: null, expiresAt: null },
    ]);
    expect(JSON.stringify(body)).not.toMatch(/PRIVATE|"d"|privateKey|v1:/);
  });

  it('rotates through the API: the old token still verifies, the JWKS lists both keys, new tokens carry the new kid', async () => {
    const before = await token();
    gh.clock.advance(60_000);
    const { status, body } = await rotate({ algorithm: 'ES256' });
    expect(status).toBe(200);
    const [rotated] = body.rotated;
    expect(body.rotated).toEqual([{ algorithm: 'ES256', kid: expect.any(String), replaced: kidOf(before), withdrawn: [] }]);
    expect(body.items.map((k: any) => [k.kid, k.state])).toEqual([
      [kidOf(before), 'retiring'],
      [rotated.kid, 'current'],
    ]);
    expect(body.items[0]).toMatchObject({ retiresAt: '2026-01-01T00:01:00.000Z', expiresAt: '2026-01-02T00:01:00.000Z' });

    expect((await jwks()).keys.map((k) => k.kid)).toEqual(expect.arrayContaining([kidOf(before), rotated.kid]));
    await verifiesWithJose(before);
    expect(await callWeather(before)).toEqual({ status: 200, code: undefined });

    const after = await token();
    expect(kidOf(after)).toBe(rotated.kid);
    await verifiesWithJose(after);
    expect((await callWeather(after)).status).toBe(200);

    const audit = (await (await fetch(`${gh.admin}/api/v1/audit?action=signing-key.rotate`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })).json()) as { items: unknown[] };
    expect(audit.items[0]).toMatchObject({ actor: 'admin@gatehouse.local', resourceType: 'signing-key', resource: rotated.kid, details: { algorithm: 'ES256', replaced: kidOf(before), withdrawn: [] } });
  });

  it('keeps the old key published for the overlap only: after it, a token the old key signed is refused', async () => {
    const before = await token();
    const { body } = await rotate({});
    expect(body.rotated.map((r: any) => r.algorithm)).toEqual(['ES256']); // the only algorithm in use so far
    gh.clock.advance(DAY - 1);
    expect((await callWeather(before)).status).toBe(200);
    gh.clock.advance(1);
    expect(await callWeather(before)).toEqual({ status: 401, code: 'oauth.invalid_token' });
    expect((await jwks()).keys.map((k) => k.kid)).not.toContain(kidOf(before));
    expect((await callWeather(await token())).status).toBe(200);
  });

  it('rotates through the CLI: `gatehouse oauth rotate-keys` then `gatehouse oauth keys`', async () => {
    await token('/oauth/token-rs256'); // an RS256 key exists now, beside the ES256 one
    const before = await token();
    const env = { GATEHOUSE_URL: gh.admin, GATEHOUSE_TOKEN: ADMIN_TOKEN };

    const rotated = await cli.run(['oauth', 'rotate-keys', '--algorithm', 'ES256'], env);
    expect(rotated.stderr).toBe('');
    expect(rotated.code).toBe(0);
    expect(rotated.stdout).toMatch(new RegExp(`^ES256: key \\S+ signs from now on\\. Key ${kidOf(before)} signs no more; it stays published until \\S+, so the tokens it signed still verify\\.$`, 'm'));

    const after = await token();
    expect(kidOf(after)).not.toBe(kidOf(before));
    expect(rotated.stdout).toContain(kidOf(after));
    expect((await callWeather(before)).status).toBe(200);
    expect((await callWeather(after)).status).toBe(200);

    const listed = await cli.run(['oauth', 'keys', '--url', gh.admin, '--token', ADMIN_TOKEN]);
    expect(listed.code).toBe(0);
    const lines = listed.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^KID +ALGORITHM +STATE +SIGNS FROM +SIGNS UNTIL +PUBLISHED UNTIL$/);
    expect(lines.find((line) => line.startsWith(kidOf(before)))).toMatch(/ ES256 +retiring /);
    expect(lines.find((line) => line.startsWith(kidOf(after)))).toMatch(/ ES256 +current /);
    expect(lines.filter((line) => / RS256 +current /.test(line))).toHaveLength(1); // RS256 was not rotated
  });

  it('lets a viewer list the keys but not rotate them, through the API or the CLI', async () => {
    const before = (await keys()).body.items;
    expect((await keys(viewerToken)).status).toBe(200);
    const refused = await rotate({}, viewerToken);
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('auth.forbidden');

    const result = await cli.run(['oauth', 'rotate-keys'], { GATEHOUSE_URL: gh.admin, GATEHOUSE_TOKEN: viewerToken });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('[auth.forbidden]');
    expect((await keys()).body.items).toEqual(before);
  });

  it('refuses an unknown algorithm and unknown fields', async () => {
    expect((await rotate({ algorithm: 'HS256' })).status).toBe(400);
    expect((await rotate({ algorithm: 'ES256', overlap: 0 })).body.code).toBe('request.invalid');
    const usage = await cli.run(['oauth', 'rotate-keys', '--algorithm', 'none'], { GATEHOUSE_URL: gh.admin, GATEHOUSE_TOKEN: ADMIN_TOKEN });
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain("--algorithm is ES256, EdDSA or RS256, not 'none'.");
  });
});
