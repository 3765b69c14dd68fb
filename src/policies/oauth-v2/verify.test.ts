import { describe, expect, it } from 'vitest';
import { configure, flowContext, keyRecord, policyDeps } from '../../../test/helpers/flow-context.ts';
import { StepFault, type TokenInfo } from '../policy.ts';
import { oauthV2 } from './index.ts';

const info: TokenInfo = { clientId: 'client-0001', appId: 'app-id', products: ['product'], scope: '', grantType: 'client_credentials', endUser: null, issuedAt: 0, expiresAt: null, revoked: false, attributes: {} };

function verify(token: TokenInfo, key = keyRecord()) {
  const deps = policyDeps({ keys: { find: async () => key }, tokens: { ...policyDeps().tokens, lookupAccessToken: async () => token } });
  return oauthV2.create(configure(oauthV2, { operation: 'VerifyAccessToken' }), deps, { api: 'api', stepName: 'verify', phase: 'request' });
}

async function outcome(run: ReturnType<typeof verify>, authorization = 'Bearer t'): Promise<string> {
  const context = flowContext({ url: '/api/x', headers: { authorization } });
  try {
    await run(context);
    return `passed as ${String(context.get('developer.app.name'))}`;
  } catch (error) {
    if (error instanceof StepFault) return error.code;
    throw error;
  }
}

describe('VerifyAccessToken', () => {
  it('lets a live token of the key’s own app through', async () => {
    expect(await outcome(verify(info))).toBe('passed as app');
  });

  it('refuses a token whose client id now belongs to another app (deleted and re-imported)', async () => {
    expect(await outcome(verify({ ...info, appId: 'an-older-app' }))).toBe('oauth.invalid_token');
  });

  it('refuses a revoked token, and an expired one', async () => {
    expect(await outcome(verify({ ...info, revoked: true }))).toBe('oauth.invalid_token');
    expect(await outcome(verify({ ...info, expiresAt: -1 }))).toBe('oauth.token_expired');
  });
});

describe('VerifyAccessToken reading the Authorization header', () => {
  it('takes the scheme in any case and trims the token', async () => {
    let seen: string | undefined;
    const deps = policyDeps({ keys: { find: () => keyRecord() }, tokens: { ...policyDeps().tokens, lookupAccessToken: (token: string) => ((seen = token), info) } });
    const run = oauthV2.create(configure(oauthV2, { operation: 'VerifyAccessToken' }), deps, { api: 'api', stepName: 'verify', phase: 'request' });
    for (const header of ['bearer Tok', 'BEARER Tok', 'bEaReR   Tok  ']) {
      seen = undefined;
      expect(await outcome(run, header)).toBe('passed as app');
      expect(seen).toBe('Tok');
    }
  });

  it('refuses another scheme, a bare scheme and a header shorter than the scheme as a missing token', async () => {
    for (const header of ['Basic Tok', 'Bearer', 'Bearer    ', 'Bear', 'BearerTok', 'xBearer Tok']) expect(await outcome(verify(info), header)).toBe('oauth.missing_token');
  });

  it('reads the configured scheme', async () => {
    const deps = policyDeps({ keys: { find: () => keyRecord() }, tokens: { ...policyDeps().tokens, lookupAccessToken: () => info } });
    const run = oauthV2.create(configure(oauthV2, { operation: 'VerifyAccessToken', accessTokenPrefix: 'Token' }), deps, { api: 'api', stepName: 'verify', phase: 'request' });
    expect(await outcome(run, 'token t')).toBe('passed as app');
    expect(await outcome(run, 'Bearer t')).toBe('oauth.missing_token');
  });
});

describe('VerifyAccessToken on a warm call', () => {
  function warmStep(key = keyRecord()) {
    // Token and credential in memory: the lookups answer at once, as the caches do.
    const deps = policyDeps({ keys: { find: () => key }, tokens: { ...policyDeps().tokens, lookupAccessToken: () => info } });
    return oauthV2.create(configure(oauthV2, { operation: 'VerifyAccessToken' }), deps, { api: 'api', stepName: 'verify', phase: 'request' });
  }
  const call = () => flowContext({ url: '/api/x', headers: { authorization: 'Bearer t' } });

  it('checks the call in the same turn (no promise) and shares one frozen caller between calls with the token', () => {
    const run = warmStep();
    const [first, second] = [call(), call()];
    expect(run(first)).toBeUndefined();
    expect(run(second)).toBeUndefined();
    expect(first.caller).toMatchObject({ clientId: keyRecord().clientId, product: 'product', scopes: [] });
    expect(second.caller).toBe(first.caller);
    expect(Object.isFrozen(first.caller)).toBe(true);
  });

  it('sets expires_in to the seconds left, -1 for a token that never expires, and lets a later step change it', () => {
    const never = call();
    warmStep()(never);
    expect(never.get('expires_in')).toBe(-1);
    const deps = policyDeps({ keys: { find: () => keyRecord() }, tokens: { ...policyDeps().tokens, lookupAccessToken: () => ({ ...info, expiresAt: call().now() + 90_500 }) } });
    const expiring = call();
    oauthV2.create(configure(oauthV2, { operation: 'VerifyAccessToken' }), deps, { api: 'api', stepName: 'verify', phase: 'request' })(expiring);
    expect(expiring.get('expires_in')).toBe(90);
    expiring.set('expires_in', 5);
    expect(expiring.get('expires_in')).toBe(5);
  });

  it('makes a new caller when the credential record changes (a cache reload after a change)', () => {
    const step = warmStep();
    const before = call();
    step(before);
    const original = keyRecord();
    const renamed = { ...original, app: { ...original.app, name: 'renamed' } };
    const after = call();
    warmStep(renamed)(after);
    expect(after.caller?.appName).toBe('renamed');
    expect(before.caller?.appName).toBe('app');
  });
});
