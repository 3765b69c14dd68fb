import { Value } from '@sinclair/typebox/value';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { flowContext, keyRecord, policyDeps } from '../../../test/helpers/flow-context.ts';
import { OpaqueTokens } from '../../oauth/tokens.ts';
import { openStore } from '../../store/index.ts';
import type { SqlStore } from '../../store/sql-store.ts';
import { ManualClock } from '../../util/clock.ts';
import { hashSecret } from '../../util/secrets.ts';
import { PolicyConfigError, StepFault, type KeyRecord, type PolicyDeps } from '../policy.ts';
import { oauthV2 } from './index.ts';

const NOW = Date.UTC(2026, 0, 1);
const SECRET = 'secret-0123456789abcdef';
const PASSWORD = 'correct horse battery staple';

const key = (overrides: Partial<KeyRecord> = {}, allowPasswordGrant = true): KeyRecord => {
  const base = keyRecord({ secretHash: hashSecret(SECRET) });
  return {
    ...base,
    app: { ...base.app, allowPasswordGrant },
    products: [{ name: 'product', apis: new Map([['api', undefined]]), scopes: ['read', 'write'], attributes: {} }],
    ...overrides,
  };
};

let store: SqlStore;
let clock: ManualClock;
let keys: Map<string, KeyRecord>;
let active: Set<string>;
let deps: PolicyDeps;

beforeAll(async () => {
  ({ store } = await openStore({ sqliteFile: ':memory:' }));
});
afterAll(async () => {
  await store?.close();
});

function reset(): void {
  clock = new ManualClock(NOW);
  keys = new Map([
    ['client-0001', key()],
    ['client-0002', key({ clientId: 'client-0002' })],
    ['client-nopw', key({ clientId: 'client-nopw' }, false)],
  ]);
  active = new Set(['alice@example.com']);
  // Users without scrypt: the store-backed resource owners have their own tests.
  const owners = {
    authenticate: async (u: string, p: string) => (active.has(u) && p === PASSWORD ? { userId: 'u-1', email: u } : undefined),
    isActive: async (e: string) => active.has(e),
  };
  deps = policyDeps({ keys: { find: async (id) => keys.get(id) }, tokens: new OpaqueTokens(store, clock, 1000, owners) }, clock);
}

function step(config: Record<string, unknown>) {
  const compiled = Value.Default(oauthV2.config, structuredClone(config));
  if (!Value.Check(oauthV2.config, compiled)) throw new Error(`invalid config: ${JSON.stringify([...Value.Errors(oauthV2.config, compiled)].map((e) => e.message))}`);
  return oauthV2.create(compiled, deps, { api: 'token', stepName: 'oauth', phase: 'request' });
}

const TOKEN_API = { operation: 'GenerateAccessToken', supportedGrantTypes: ['client_credentials', 'password', 'refresh_token'] };

/** Posts a form to the step; answers the status and JSON body, of the response or of the fault. */
async function post(config: Record<string, unknown>, form: Record<string, string>, clientId = 'client-0001'): Promise<{ status: number; body: Record<string, any>; fault?: StepFault }> {
  const context = flowContext(
    { method: 'POST', url: '/token', basePath: '/token', headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`${clientId}:${SECRET}`).toString('base64')}` }, body: new URLSearchParams(form).toString() },
    clock,
  );
  try {
    await step(config)(context);
  } catch (error) {
    if (error instanceof StepFault) return { status: error.status, body: error.body as Record<string, any>, fault: error };
    throw error;
  }
  return { status: context.response!.status, body: JSON.parse((await context.response!.readBody()).toString('utf8')) };
}

const passwordGrant = (config: Record<string, unknown> = TOKEN_API, extra: Record<string, string> = {}, clientId?: string) =>
  post(config, { grant_type: 'password', username: 'alice@example.com', password: PASSWORD, ...extra }, clientId);
const refresh = (token: string, extra: Record<string, string> = {}, clientId?: string, config: Record<string, unknown> = TOKEN_API) => post(config, { grant_type: 'refresh_token', refresh_token: token, ...extra }, clientId);

async function verify(token: string): Promise<{ ok: boolean; vars: Record<string, unknown>; fault?: StepFault }> {
  const context = flowContext({ url: '/api/thing', headers: { authorization: `Bearer ${token}` } }, clock);
  try {
    await oauthV2.create(Value.Default(oauthV2.config, { operation: 'VerifyAccessToken' }) as never, deps, { api: 'api', stepName: 'verify', phase: 'request' })(context);
  } catch (error) {
    if (error instanceof StepFault) return { ok: false, vars: {}, fault: error };
    throw error;
  }
  return { ok: true, vars: { grant_type: context.get('grant_type'), app_enduser: context.get('app_enduser'), scope: context.get('scope') } };
}

describe('oauth-v2 password grant', () => {
  it('issues an access token and a refresh token whose end user is the user; the access token verifies', async () => {
    reset();
    const res = await passwordGrant();
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ access_token: expect.any(String), token_type: 'Bearer', expires_in: 3600, scope: 'read write', refresh_token: expect.any(String) });
    expect(await verify(res.body.access_token)).toEqual({ ok: true, vars: { grant_type: 'password', app_enduser: 'alice@example.com', scope: 'read write' } });
  });

  it('grants only the requested scopes the products allow', async () => {
    reset();
    expect((await passwordGrant(TOKEN_API, { scope: 'read admin' })).body.scope).toBe('read');
  });

  it('refuses an app that did not opt in, saying how to enable it', async () => {
    reset();
    const res = await passwordGrant(TOKEN_API, {}, 'client-nopw');
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: 'unauthorized_client', error_description: expect.stringContaining('allowPasswordGrant: true') });
    expect(res.fault?.code).toBe('oauth.unauthorized_client');
  });

  it('refuses the grant where the endpoint does not support it, even for an app that opted in', async () => {
    reset();
    const res = await passwordGrant({ operation: 'GenerateAccessToken', supportedGrantTypes: ['client_credentials'] });
    expect(res.body.error).toBe('unsupported_grant_type');
  });

  it('answers one invalid_grant message for a wrong password, an unknown and an inactive user', async () => {
    reset();
    active.add('bob@example.com');
    const wrong = await passwordGrant(TOKEN_API, { password: 'wrong horse battery staple' });
    const unknown = await passwordGrant(TOKEN_API, { username: 'nobody@example.com' });
    active.delete('bob@example.com');
    const inactive = await passwordGrant(TOKEN_API, { username: 'bob@example.com' });
    for (const res of [wrong, unknown, inactive]) {
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ error: 'invalid_grant', error_description: 'The user name or password is wrong.' });
    }
  });

  it('asks for a missing user name or password', async () => {
    reset();
    expect((await post(TOKEN_API, { grant_type: 'password', password: PASSWORD })).body).toEqual({ error: 'invalid_request', error_description: 'Required param : username' });
    expect((await post(TOKEN_API, { grant_type: 'password', username: 'alice@example.com' })).body).toEqual({ error: 'invalid_request', error_description: 'Required param : password' });
  });

  it('checks the client before the user: a wrong client secret is invalid_client', async () => {
    reset();
    keys.set('client-0001', key({ secretHash: hashSecret('another-secret-0123456789') }));
    expect((await passwordGrant()).status).toBe(401);
  });

  it("answers Apigee's shape with the refresh fields, as strings", async () => {
    reset();
    const res = await passwordGrant({ ...TOKEN_API, dialect: 'apigee' });
    expect(res.body).toMatchObject({
      token_type: 'BearerToken',
      expires_in: '3599',
      refresh_token: expect.any(String),
      refresh_token_expires_in: '86399',
      refresh_token_issued_at: String(NOW),
      refresh_token_status: 'approved',
      refresh_count: '0',
      scope: 'read write',
      'developer.email': 'dana@example.com',
    });
  });

  it('takes user name and password from configured flow variables', async () => {
    reset();
    const context = flowContext({ method: 'POST', url: '/token', basePath: '/token', headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`client-0001:${SECRET}`).toString('base64')}` }, body: 'grant_type=password' }, clock);
    context.set('login.user', 'alice@example.com');
    context.set('login.pass', PASSWORD);
    await step({ ...TOKEN_API, userName: 'login.user', passWord: 'login.pass' })(context);
    expect(context.response?.status).toBe(200);
  });
});

describe('oauth-v2 refresh grant', () => {
  it('rotates: a new access token and refresh token, the old refresh token refused afterwards', async () => {
    reset();
    const first = (await passwordGrant()).body;
    const second = await refresh(first.refresh_token);
    expect(second.status).toBe(200);
    expect(second.body).toEqual({ access_token: expect.any(String), token_type: 'Bearer', expires_in: 3600, scope: 'read write', refresh_token: expect.any(String) });
    expect(second.body.refresh_token).not.toBe(first.refresh_token);
    expect(second.body.access_token).not.toBe(first.access_token);
    expect(await verify(second.body.access_token)).toMatchObject({ ok: true, vars: { grant_type: 'password', app_enduser: 'alice@example.com' } });
    const again = await refresh(first.refresh_token);
    expect(again.status).toBe(400);
    expect(again.body.error).toBe('invalid_grant');
  });

  it('revokes the whole family when a used refresh token comes back', async () => {
    reset();
    const first = (await passwordGrant()).body;
    const second = (await refresh(first.refresh_token)).body;
    expect((await verify(second.access_token)).ok).toBe(true);
    expect((await refresh(first.refresh_token)).body.error).toBe('invalid_grant');
    const latest = await verify(second.access_token);
    expect(latest.ok).toBe(false);
    expect(latest.fault?.status).toBe(401);
    expect((await verify(first.access_token)).ok).toBe(false);
    expect((await refresh(second.refresh_token)).body.error).toBe('invalid_grant');
  });

  it("refuses another client's refresh token without burning its family", async () => {
    reset();
    const first = (await passwordGrant()).body;
    const stolen = await refresh(first.refresh_token, {}, 'client-0002');
    expect(stolen.status).toBe(400);
    expect(stolen.body).toEqual({ error: 'invalid_grant', error_description: expect.stringContaining('not issued to this client') });
    expect((await refresh(first.refresh_token)).status).toBe(200);
  });

  it('refuses an expired refresh token', async () => {
    reset();
    const first = (await passwordGrant({ ...TOKEN_API, refreshTokenExpiresIn: 60_000 })).body;
    clock.advance(60_000);
    expect((await refresh(first.refresh_token)).body).toEqual({ error: 'invalid_grant', error_description: 'Refresh Token expired' });
  });

  it('gives each new refresh token a fresh lifetime', async () => {
    reset();
    const config = { ...TOKEN_API, refreshTokenExpiresIn: 60_000 };
    let token = (await passwordGrant(config)).body.refresh_token as string;
    for (let i = 0; i < 3; i++) {
      clock.advance(50_000);
      const res = await refresh(token, {}, undefined, config);
      expect(res.status).toBe(200);
      token = res.body.refresh_token;
    }
  });

  it('narrows the scope but never widens it; the refresh token keeps the scope of the grant', async () => {
    reset();
    const first = (await passwordGrant(TOKEN_API, { scope: 'read write' })).body;
    const narrowed = await refresh(first.refresh_token, { scope: 'read' });
    expect(narrowed.body.scope).toBe('read');
    expect((await verify(narrowed.body.access_token)).vars.scope).toBe('read');
    // The next refresh may ask for the grant's whole scope again (RFC 6749 §6: the refresh token's scope is the grant's).
    const back = await refresh(narrowed.body.refresh_token, { scope: 'read write' });
    expect(back.body.scope).toBe('read write');
    const readOnly = (await passwordGrant(TOKEN_API, { scope: 'read' })).body;
    const wider = await refresh(readOnly.refresh_token, { scope: 'read write' });
    expect(wider.status).toBe(400);
    expect(wider.body).toEqual({ error: 'invalid_scope', error_description: expect.stringContaining('write') });
    expect(wider.fault?.code).toBe('oauth.invalid_scope');
    // A refused widening does not use up the refresh token.
    expect((await refresh(readOnly.refresh_token)).status).toBe(200);
  });

  it('ends the chain when its user is deactivated', async () => {
    reset();
    const first = (await passwordGrant()).body;
    active.delete('alice@example.com');
    expect((await refresh(first.refresh_token)).body).toEqual({ error: 'invalid_grant', error_description: expect.stringContaining('no longer active') });
  });

  it('carries only the products the app still holds, and stops when none is left', async () => {
    reset();
    const first = (await passwordGrant()).body;
    keys.set('client-0001', key({ products: [{ name: 'other', apis: new Map([['api', undefined]]), scopes: ['read'], attributes: {} }] }));
    expect((await refresh(first.refresh_token)).body).toEqual({ error: 'invalid_grant', error_description: expect.stringContaining('products') });
  });

  it('asks for a missing refresh token, and refuses an unknown one or an access token', async () => {
    reset();
    expect((await post(TOKEN_API, { grant_type: 'refresh_token' })).body).toEqual({ error: 'invalid_request', error_description: 'Required param : refresh_token' });
    expect((await refresh('not-a-token')).body).toEqual({ error: 'invalid_grant', error_description: 'Invalid Refresh Token' });
    const first = (await passwordGrant()).body;
    expect((await refresh(first.access_token)).body.error).toBe('invalid_grant');
  });

  it('is refused where the endpoint does not list refresh_token', async () => {
    reset();
    const first = (await passwordGrant()).body;
    expect((await refresh(first.refresh_token, {}, undefined, { operation: 'GenerateAccessToken', supportedGrantTypes: ['password'] })).body.error).toBe('unsupported_grant_type');
  });

  it("answers Apigee's shape with the refresh count", async () => {
    reset();
    const config = { ...TOKEN_API, dialect: 'apigee' };
    const first = (await passwordGrant(config)).body;
    const second = (await refresh(first.refresh_token, {}, undefined, config)).body;
    const third = await refresh(second.refresh_token, {}, undefined, config);
    expect(third.body).toMatchObject({ refresh_count: '2', refresh_token_status: 'approved', token_type: 'BearerToken' });
  });

  it('answers "0" for a refresh token that never expires in the Apigee shape, and no expiry field in the RFC one', async () => {
    reset();
    const apigee = await passwordGrant({ ...TOKEN_API, dialect: 'apigee', refreshTokenExpiresIn: -1 });
    expect(apigee.body.refresh_token_expires_in).toBe('0');
    const rfc = await passwordGrant({ ...TOKEN_API, refreshTokenExpiresIn: -1 });
    expect(Object.keys(rfc.body).sort()).toEqual(['access_token', 'expires_in', 'refresh_token', 'scope', 'token_type']);
  });
});

describe('oauth-v2 RefreshAccessToken', () => {
  it('refreshes, and accepts no other grant', async () => {
    reset();
    const first = (await passwordGrant()).body;
    const config = { operation: 'RefreshAccessToken' };
    expect((await refresh(first.refresh_token, {}, undefined, config)).status).toBe(200);
    const cc = await post(config, { grant_type: 'client_credentials' });
    expect(cc.body).toEqual({ error: 'unsupported_grant_type', error_description: expect.stringContaining('only refresh_token') });
    expect((await post(config, {})).body.error).toBe('invalid_request');
  });
});

describe('oauth-v2 client credentials', () => {
  it('issues no refresh token, in either dialect', async () => {
    reset();
    const rfc = await post(TOKEN_API, { grant_type: 'client_credentials' });
    expect(rfc.body.refresh_token).toBeUndefined();
    expect(await verify(rfc.body.access_token)).toEqual({ ok: true, vars: { grant_type: 'client_credentials', app_enduser: undefined, scope: 'read write' } });
    const apigee = await post({ ...TOKEN_API, dialect: 'apigee' }, { grant_type: 'client_credentials' });
    expect(apigee.body).toMatchObject({ refresh_token_expires_in: '0', refresh_count: '0' });
    expect(apigee.body.refresh_token).toBeUndefined();
  });
});

describe('oauth-v2 config', () => {
  it('refuses a refresh-token lifetime of 0 at deploy', () => {
    reset();
    expect(() => step({ ...TOKEN_API, refreshTokenExpiresIn: 0 })).toThrow(PolicyConfigError);
  });

  it('refuses JWT access tokens at deploy where there are no signing keys, saying what to set', () => {
    reset();
    expect(() => step({ ...TOKEN_API, tokenFormat: 'jwt' })).toThrow(/GATEHOUSE_SECRET_KEY/);
  });
});
