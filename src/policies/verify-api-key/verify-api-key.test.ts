import type { Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { describe, expect, it } from 'vitest';
import { configure, flowContext, keyRecord, policyDeps, refusal } from '../../../test/helpers/flow-context.ts';
import { ManualClock } from '../../util/clock.ts';
import { quota } from '../quota/index.ts';
import type { KeyRecord, ProductGrant } from '../policy.ts';
import { verifyApiKey } from './index.ts';

const NOW = Date.UTC(2026, 0, 1);

function step(config: unknown, keys: readonly KeyRecord[] = [keyRecord()], clock = new ManualClock(NOW)) {
  const compiled = configure(verifyApiKey, config);
  const byId = new Map(keys.map((k) => [k.clientId, k]));
  const deps = policyDeps({ keys: { find: async (id) => byId.get(id) } }, clock);
  return verifyApiKey.create(compiled, deps, { api: 'api', stepName: 'verify', phase: 'request' });
}

const call = (url = '/api/forecast?apikey=client-0001', extra: Parameters<typeof flowContext>[0] = {}) => flowContext({ url, ...extra }, new ManualClock(NOW));

const product = (overrides: Partial<ProductGrant> = {}): ProductGrant => ({ name: 'gold', apis: new Map([['api', undefined]]), scopes: [], attributes: {}, ...overrides });

describe('verify-api-key', () => {
  it('lets a good key through and identifies the caller with the product that covered the call', async () => {
    const run = step({});
    const context = call();
    await run(context);
    expect(context.caller).toEqual({ clientId: 'client-0001', appId: 'app-id', appName: 'app', developerId: 'dev-id', developerEmail: 'dana@example.com', product: 'product' });
  });

  it("sets Apigee's flow variables, plain and under the step's prefix", async () => {
    const key = keyRecord({
      app: { id: 'app-id', name: 'weather-app', status: 'approved', callbackUrls: [], allowPasswordGrant: false, tokenEndpointAuthMethod: 'client_secret', jwks: [], attributes: { tier: 'gold', name: 'not the name' } },
      products: [product({ quota: { limit: 100, interval: 1, timeUnit: 'hour' }, attributes: { region: 'eu' } })],
    });
    const context = call();
    await step({}, [key])(context);
    const expected: Record<string, unknown> = {
      client_id: 'client-0001',
      'developer.app.name': 'weather-app',
      'app.name': 'weather-app',
      'app.id': 'app-id',
      'app.tier': 'gold',
      'developer.email': 'dana@example.com',
      'developer.id': 'dev-id',
      'apiproduct.name': 'gold',
      'apiproduct.region': 'eu',
      'apiproduct.developer.quota.limit': 100,
      'apiproduct.developer.quota.interval': 1,
      'apiproduct.developer.quota.timeunit': 'hour',
    };
    for (const [name, value] of Object.entries(expected)) {
      expect(context.get(name), name).toBe(value);
      expect(context.get(`verifyapikey.verify.${name}`), `verifyapikey.verify.${name}`).toBe(value);
    }
    expect(context.get('verifyapikey.verify.status')).toBe('approved');
    expect(context.get('verifyapikey.verify.expires_at')).toBe(-1);
    expect(context.get('verifyapikey.verify.failed')).toBeUndefined();
  });

  it('reads the key from the configured variable only', async () => {
    const run = step({ apiKey: 'request.header.x-api-key' });
    await run(call('/api/forecast', { headers: { 'x-api-key': 'client-0001' } }));
    const fault = await refusal(run, call('/api/forecast?apikey=client-0001'));
    expect(fault).toMatchObject({ code: 'verify-api-key.missing', message: 'Failed to resolve API Key variable request.header.x-api-key' });
  });

  it('refuses a call without a key with FailedToResolveAPIKey', async () => {
    const context = call('/api/forecast');
    expect(await refusal(step({}), context)).toMatchObject({
      status: 401,
      code: 'verify-api-key.missing',
      faultName: 'FailedToResolveAPIKey',
      apigeeCode: 'steps.oauth.v2.FailedToResolveAPIKey',
      message: 'Failed to resolve API Key variable request.queryparam.apikey',
    });
    expect(context.get('verifyapikey.verify.failed')).toBe(true);
    expect((await refusal(step({}), call('/api/forecast?apikey='))).code).toBe('verify-api-key.missing');
  });

  it('refuses an unknown key with InvalidApiKey', async () => {
    expect(await refusal(step({}), call('/api/forecast?apikey=nobody'))).toMatchObject({
      status: 401,
      code: 'verify-api-key.invalid',
      faultName: 'InvalidApiKey',
      apigeeCode: 'oauth.v2.InvalidApiKey',
      message: 'Invalid ApiKey',
    });
  });

  it('refuses a revoked or expired credential with ApiKeyNotApproved', async () => {
    for (const key of [keyRecord({ credentialStatus: 'revoked' }), keyRecord({ expiresAt: NOW })]) {
      expect(await refusal(step({}, [key]), call())).toMatchObject({ status: 401, code: 'verify-api-key.not_approved', faultName: 'ApiKeyNotApproved', apigeeCode: 'oauth.v2.ApiKeyNotApproved' });
    }
    await step({}, [keyRecord({ expiresAt: NOW + 1 })])(call());
  });

  it('refuses the key of a revoked app with app_not_approved', async () => {
    const key = keyRecord({ app: { id: 'app-id', name: 'app', status: 'revoked', callbackUrls: [], allowPasswordGrant: false, tokenEndpointAuthMethod: 'client_secret', jwks: [], attributes: {} } });
    expect(await refusal(step({}, [key]), call())).toMatchObject({
      code: 'verify-api-key.not_approved',
      faultName: 'invalid_client-app_not_approved',
      apigeeCode: 'keymanagement.service.invalid_client-app_not_approved',
      message: 'API key not approved: the app is revoked.',
    });
  });

  it('refuses the key of an inactive developer with DeveloperStatusNotActive', async () => {
    const key = keyRecord({ developer: { id: 'dev-id', email: 'dana@example.com', status: 'inactive', firstName: 'D', lastName: 'D', attributes: {} } });
    expect(await refusal(step({}, [key]), call())).toMatchObject({
      code: 'verify-api-key.not_approved',
      faultName: 'DeveloperStatusNotActive',
      apigeeCode: 'keymanagement.service.DeveloperStatusNotActive',
    });
  });

  it('refuses a key none of whose products covers the API, path and method with InvalidApiKeyForGivenResource', async () => {
    const narrow = keyRecord({ products: [product({ apis: new Map([['api', [{ path: '/forecast', methods: ['GET'] }]]]) })] });
    await step({}, [narrow])(call('/api/forecast?apikey=client-0001'));
    for (const context of [call('/api/alerts?apikey=client-0001'), call('/api/forecast?apikey=client-0001', { method: 'POST' })]) {
      expect(await refusal(step({}, [narrow]), context)).toMatchObject({
        status: 401,
        code: 'verify-api-key.no_product_match',
        faultName: 'InvalidApiKeyForGivenResource',
        apigeeCode: 'oauth.v2.InvalidApiKeyForGivenResource',
      });
    }
    const otherApi = keyRecord({ products: [product({ apis: new Map([['maps', undefined]]) })] });
    expect((await refusal(step({}, [otherApi]), call())).code).toBe('verify-api-key.no_product_match');
    expect((await refusal(step({}, [keyRecord({ products: [] })]), call())).code).toBe('verify-api-key.no_product_match');
  });

  it('picks the first product that covers the call', async () => {
    const key = keyRecord({ products: [product({ name: 'maps-only', apis: new Map([['maps', undefined]]) }), product({ name: 'silver' }), product({ name: 'gold' })] });
    const context = call();
    await step({}, [key])(context);
    expect(context.caller?.product).toBe('silver');
    expect(context.get('apiproduct.name')).toBe('silver');
  });

  it("hands the product's quota to a quota step after it", async () => {
    const clock = new ManualClock(NOW);
    const key = keyRecord({ products: [product({ quota: { limit: 2, interval: 1, timeUnit: 'day' } })] });
    const verify = step({}, [key], clock);
    const deps = policyDeps({}, clock);
    const limit = quota.create(Value.Default(quota.config, { limit: 1000, timeUnit: 'minute' }) as Static<typeof quota.config>, deps, { api: 'api', stepName: 'quota', phase: 'request' });
    const run = async () => {
      const context = flowContext({ url: '/api/x?apikey=client-0001' }, clock);
      await verify(context);
      await limit(context);
      return context;
    };
    await run();
    expect((await run()).get('ratelimit.quota.allowed.count')).toBe(2);
    await expect(run()).rejects.toMatchObject({ code: 'quota.exceeded', message: 'Rate limit quota violation. Quota limit exceeded. Identifier : client-0001' });
  });
});
