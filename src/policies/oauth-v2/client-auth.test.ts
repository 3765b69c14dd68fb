import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { flowContext, keyRecord, refusal } from '../../../test/helpers/flow-context.ts';
import type { PublicJwk } from '../../model/app.ts';
import { ClientAssertions, CLIENT_ASSERTION_TYPE } from '../../oauth/client-assertion.ts';
import { openStore } from '../../store/index.ts';
import type { SqlStore } from '../../store/sql-store.ts';
import { ManualClock } from '../../util/clock.ts';
import { hashSecret } from '../../util/secrets.ts';
import type { KeyRecord, PolicyDeps } from '../policy.ts';
import { authenticateClient, type ClientAuthOptions } from './client-auth.ts';

const NOW = Date.UTC(2026, 0, 1);
const ISSUER = 'https://gw.example';
const SECRET = 'secret-0123456789abcdef';

let store: SqlStore;
let privateKey: KeyObject;
let jwk: PublicJwk;
let deps: Pick<PolicyDeps, 'keys' | 'clientAssertions'>;
const clock = new ManualClock(NOW);

function app(clientId: string, method: KeyRecord['app']['tokenEndpointAuthMethod'], overrides: Partial<KeyRecord> = {}): KeyRecord {
  const base = keyRecord({ clientId, secretHash: hashSecret(SECRET), ...overrides });
  return { ...base, app: { ...base.app, tokenEndpointAuthMethod: method, jwks: method === 'private_key_jwt' ? [jwk] : [] } };
}

beforeAll(async () => {
  ({ store } = await openStore({ sqliteFile: ':memory:' }));
  const pair = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  privateKey = pair.privateKey;
  jwk = { ...(pair.publicKey.export({ format: 'jwk' }) as PublicJwk), kid: 'k1' };
  const keys = new Map(
    [app('secret-client', 'client_secret'), app('jwt-client', 'private_key_jwt'), app('public-client', 'none'), app('revoked-jwt', 'private_key_jwt', { credentialStatus: 'revoked' })].map((k) => [k.clientId, k]),
  );
  deps = {
    keys: { find: async (id) => keys.get(id) },
    clientAssertions: new ClientAssertions({ store, issuer: () => ISSUER, gatewayUrl: () => ISSUER }),
  };
});
afterAll(async () => {
  await store?.close();
});

let jtis = 0;
function assertion(clientId = 'jwt-client', claims: Record<string, unknown> = {}): string {
  const s = Math.floor(clock.now() / 1000);
  const input = [{ alg: 'ES256', kid: 'k1' }, { iss: clientId, sub: clientId, aud: ISSUER, iat: s, exp: s + 60, jti: `j-${++jtis}`, ...claims }].map((part) => Buffer.from(JSON.stringify(part)).toString('base64url')).join('.');
  return `${input}.${sign('sha256', Buffer.from(input), { key: privateKey, dsaEncoding: 'ieee-p1363' }).toString('base64url')}`;
}

const basic = (id: string, secret = SECRET) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

function request(form: Record<string, string>, authorization?: string) {
  const context = flowContext({ method: 'POST', url: '/oauth/token', basePath: '/oauth/token', headers: { 'content-type': 'application/x-www-form-urlencoded', ...(authorization ? { authorization } : {}) }, body: new URLSearchParams(form).toString() }, clock);
  return { context, form: new URLSearchParams(form) };
}

async function authenticate(form: Record<string, string>, authorization?: string, options?: ClientAuthOptions) {
  const { context, form: params } = request(form, authorization);
  return authenticateClient(context, params, 'rfc6749', deps, options);
}

async function refused(form: Record<string, string>, authorization?: string, options?: ClientAuthOptions) {
  const { context, form: params } = request(form, authorization);
  const fault = await refusal(async function authenticateStep(c) {
    await authenticateClient(c, params, 'rfc6749', deps, options);
  }, context);
  return { status: fault.status, code: fault.code, body: fault.body as { error: string; error_description: string }, challenge: fault.headers['www-authenticate'] };
}

const jwtForm = (extra: Record<string, string> = {}, clientId?: string) => ({ client_assertion_type: CLIENT_ASSERTION_TYPE, client_assertion: assertion(clientId), ...extra });

describe('client authentication by registered method', () => {
  it('says how the client authenticated: client_secret_basic, client_secret_post, private_key_jwt or none', async () => {
    expect(await authenticate({}, basic('secret-client'))).toMatchObject({ method: 'client_secret_basic', key: { clientId: 'secret-client' } });
    expect(await authenticate({ client_id: 'secret-client', client_secret: SECRET })).toMatchObject({ method: 'client_secret_post' });
    expect(await authenticate(jwtForm())).toMatchObject({ method: 'private_key_jwt', key: { clientId: 'jwt-client' } });
    expect(await authenticate(jwtForm({ client_id: 'jwt-client' }))).toMatchObject({ method: 'private_key_jwt' });
    expect(await authenticate({ client_id: 'public-client' }, undefined, { allowNone: true })).toMatchObject({ method: 'none', key: { clientId: 'public-client' } });
  });

  it('refuses a public client where none is not acceptable (the default), saying so', async () => {
    expect(await refused({ client_id: 'public-client' })).toMatchObject({ status: 401, body: { error: 'invalid_client', error_description: expect.stringContaining('public client') } });
  });

  it('refuses a client_id alone for a confidential client or an unknown one, asking for authentication', async () => {
    for (const client_id of ['secret-client', 'jwt-client', 'nobody']) {
      expect(await refused({ client_id }, undefined, { allowNone: true })).toMatchObject({ status: 401, body: { error: 'invalid_client', error_description: expect.stringContaining('Client authentication is required') } });
    }
  });

  it("refuses a private_key_jwt app's secret, and a public client's, even when right", async () => {
    expect(await refused({}, basic('jwt-client'))).toMatchObject({ status: 401, body: { error_description: expect.stringContaining('private_key_jwt') }, challenge: expect.stringMatching(/^Basic /) });
    expect(await refused({ client_id: 'public-client', client_secret: SECRET }, undefined, { allowNone: true })).toMatchObject({ status: 401, body: { error_description: expect.stringContaining('public client') } });
  });

  it('refuses a client assertion from an app registered for secrets', async () => {
    expect(await refused(jwtForm({}, 'secret-client'))).toMatchObject({ status: 401, body: { error: 'invalid_client', error_description: expect.stringContaining('its client id and secret, not a client_assertion') } });
  });

  it('refuses a wrong secret and an unknown client alike', async () => {
    const wrong = await refused({}, basic('secret-client', 'wrong-secret-000000'));
    expect(await refused({}, basic('nobody'))).toEqual(wrong);
    expect(await refused(jwtForm({}, 'nobody'))).toMatchObject({ body: wrong.body });
  });

  it('refuses a replayed assertion, a client_id that is not its subject, and a refused credential', async () => {
    const form = jwtForm();
    await authenticate(form);
    expect(await refused(form)).toMatchObject({ status: 401, body: { error_description: expect.stringContaining('already used') } });
    expect(await refused(jwtForm({ client_id: 'other-client' }))).toMatchObject({ status: 401 });
    expect(await refused({ client_id: 'jwt-client', client_assertion_type: CLIENT_ASSERTION_TYPE, client_assertion: assertion('jwt-client', { sub: 'secret-client' }) })).toMatchObject({
      status: 401,
      body: { error_description: expect.stringContaining('sub must be the client id') },
    });
    expect(await refused(jwtForm({}, 'revoked-jwt'))).toMatchObject({ status: 401, body: { error_description: 'Client authentication failed: the credential is revoked.' } });
  });

  it('refuses more than one method in a request, half an assertion, another assertion type and repeated parameters', async () => {
    expect(await refused(jwtForm(), basic('jwt-client'))).toMatchObject({ status: 401, body: { error: 'invalid_client', error_description: expect.stringContaining('not both') } });
    expect(await refused(jwtForm({ client_secret: SECRET }))).toMatchObject({ status: 401, body: { error: 'invalid_client' } });
    expect(await refused({ client_assertion: assertion() })).toMatchObject({ status: 400, body: { error: 'invalid_request' } });
    expect(await refused({ client_assertion_type: CLIENT_ASSERTION_TYPE })).toMatchObject({ status: 400, body: { error: 'invalid_request' } });
    expect(await refused({ client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:saml2-bearer', client_assertion: assertion() })).toMatchObject({ status: 401, body: { error: 'invalid_client' } });
    expect(await refused({ client_id: 'secret-client', client_secret: SECRET }, basic('secret-client'))).toMatchObject({ status: 400, body: { error: 'invalid_request' } });
    const { context } = request({});
    const twice = new URLSearchParams([['client_assertion_type', CLIENT_ASSERTION_TYPE], ['client_assertion', assertion()], ['client_assertion', assertion()]]);
    const fault = await refusal(async function authenticateStep(c) {
      await authenticateClient(c, twice, 'rfc6749', deps);
    }, context);
    expect(fault).toMatchObject({ status: 400, body: { error: 'invalid_request', error_description: 'The parameter client_assertion is sent more than once.' } });
  });

  it('refuses a client assertion where no verifier is wired', async () => {
    const { context, form } = request(jwtForm());
    const fault = await refusal(async function authenticateStep(c) {
      await authenticateClient(c, form, 'rfc6749', { keys: deps.keys });
    }, context);
    expect(fault).toMatchObject({ status: 401, body: { error: 'invalid_client', error_description: expect.stringContaining('cannot check client assertions') } });
  });
});

describe('a client secret that matched before', () => {
  /** Authenticates `clientId` with `secret` against whatever key record `current()` holds now: 'ok' or the status. */
  const authenticateAs = async (clientId: string, secret: string, current: () => KeyRecord) => {
    const { context, form } = request({ grant_type: 'client_credentials' }, basic(clientId, secret));
    const keys = { find: async (id: string) => (id === clientId ? current() : undefined) };
    return authenticateClient(context, form, 'rfc6749', { ...deps, keys }).then(() => 'ok', (error: { status?: number }) => error.status);
  };

  it('is accepted again, and any other secret is still refused, before and after', async () => {
    const key = keyRecord({ clientId: 'memo-client', secretHash: hashSecret(SECRET) });
    const run = (secret: string) => authenticateAs('memo-client', secret, () => key);
    expect(await run('not-the-secret-0123456')).toBe(401);
    expect(await run(SECRET)).toBe('ok');
    expect(await run(SECRET)).toBe('ok');
    expect(await run(`${SECRET}x`)).toBe(401);
    expect(await run(SECRET.slice(0, -1))).toBe(401);
  });

  it('is refused once the credential has a new secret (a new key record)', async () => {
    let key = keyRecord({ clientId: 'rotated-client', secretHash: hashSecret(SECRET) });
    const run = (secret: string) => authenticateAs('rotated-client', secret, () => key);
    expect(await run(SECRET)).toBe('ok');
    key = keyRecord({ clientId: 'rotated-client', secretHash: hashSecret('the-new-secret-0123456') });
    expect(await run(SECRET)).toBe(401);
    expect(await run('the-new-secret-0123456')).toBe('ok');
  });
});
