import { describe, expect, it } from 'vitest';
import { configure, flowContext, keyRecord, policyDeps } from '../../../test/helpers/flow-context.ts';
import { StepFault, type TokenInfo } from '../policy.ts';
import { oauthV2 } from './index.ts';

const info: TokenInfo = { clientId: 'client-0001', appId: 'app-id', products: ['product'], scope: '', grantType: 'client_credentials', endUser: null, issuedAt: 0, expiresAt: null, revoked: false, attributes: {} };

function verify(token: TokenInfo, key = keyRecord()) {
  const deps = policyDeps({ keys: { find: async () => key }, tokens: { ...policyDeps().tokens, lookupAccessToken: async () => token } });
  return oauthV2.create(configure(oauthV2, { operation: 'VerifyAccessToken' }), deps, { api: 'api', stepName: 'verify', phase: 'request' });
}

async function outcome(run: ReturnType<typeof verify>): Promise<string> {
  const context = flowContext({ url: '/api/x', headers: { authorization: 'Bearer t' } });
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
