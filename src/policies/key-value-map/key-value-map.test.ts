import { describe, expect, it } from 'vitest';
import { configure, flowContext, MemoryKeyValueMaps, policyDeps } from '../../../test/helpers/flow-context.ts';
import { PolicyConfigError, StepFault, type FlowContext, type KeyValueMaps, type StepFunction } from '../policy.ts';
import { keyValueMap } from './index.ts';

function setup(config: unknown, kvm: KeyValueMaps = new MemoryKeyValueMaps()): StepFunction {
  return keyValueMap.create(configure(keyValueMap, config), policyDeps({ kvm }), { api: 'weather', stepName: 'kvm-1', phase: 'request' });
}

async function fault(run: StepFunction, context: FlowContext): Promise<StepFault> {
  try {
    await run(context);
  } catch (error) {
    if (error instanceof StepFault) return error;
    throw error;
  }
  throw new Error('expected a fault');
}

describe('key-value-map', () => {
  it('reads entries into variables, keys from templates; an absent key or map leaves the variable unset', async () => {
    const kvm = new MemoryKeyValueMaps();
    kvm.define(null, 'urls', { eu: 'https://eu.example', 'tenant-acme': 'gold' });
    const run = setup(
      {
        mapName: 'urls',
        get: [
          { key: '{request.queryparam.region}', assignTo: 'flow.url' },
          { key: 'tenant-{request.header.x-tenant}', assignTo: 'flow.tier' },
          { key: 'absent', assignTo: 'flow.absent' },
          { key: '{request.header.unset}', assignTo: 'flow.unresolved' },
        ],
      },
      kvm,
    );
    const context = flowContext({ url: '/api/x?region=eu', headers: { 'x-tenant': 'acme' } });
    await run(context);
    expect(context.get('flow.url')).toBe('https://eu.example');
    expect(context.get('flow.tier')).toBe('gold');
    expect(context.get('flow.absent')).toBeUndefined();
    expect(context.get('flow.unresolved')).toBeUndefined();

    const noMap = setup({ mapName: 'missing', get: [{ key: 'eu', assignTo: 'flow.url' }] }, kvm);
    const other = flowContext();
    await noMap(other);
    expect(other.get('flow.url')).toBeUndefined();
  });

  it('scope apiproxy uses the map of the step\'s own API', async () => {
    const kvm = new MemoryKeyValueMaps();
    kvm.define(null, 'config', { k: 'org' });
    kvm.define('weather', 'config', { k: 'api' });
    const context = flowContext();
    await setup({ mapName: 'config', scope: 'apiproxy', get: [{ key: 'k', assignTo: 'flow.k' }] }, kvm)(context);
    expect(context.get('flow.k')).toBe('api');
    await setup({ mapName: 'config', get: [{ key: 'k', assignTo: 'flow.k' }] }, kvm)(context);
    expect(context.get('flow.k')).toBe('org');
  });

  it('put keeps an existing value unless override; put runs before get, delete after', async () => {
    const kvm = new MemoryKeyValueMaps();
    kvm.define(null, 'seen', { first: 'kept' });
    const run = setup(
      {
        mapName: 'seen',
        put: [
          { key: 'first', value: 'replaced?' },
          { key: 'last', value: '{request.header.x-id}', override: true },
          { key: 'skipped', value: '{request.header.unset}' },
        ],
        get: [{ key: 'last', assignTo: 'flow.last' }],
        delete: [{ key: 'first' }],
      },
      kvm,
    );
    const context = flowContext({ headers: { 'x-id': 'abc' } });
    await run(context);
    expect(context.get('flow.last')).toBe('abc');
    expect(kvm.entries(null, 'seen')).toEqual({ last: 'abc' });
  });

  it('writes initialEntries once, only into a missing or empty map', async () => {
    const kvm = new MemoryKeyValueMaps();
    const run = setup({ mapName: 'defaults', initialEntries: { a: '1', b: '2' }, get: [{ key: 'a', assignTo: 'flow.a' }] }, kvm);
    const context = flowContext();
    await run(context);
    expect(context.get('flow.a')).toBe('1');
    expect(kvm.entries(null, 'defaults')).toEqual({ a: '1', b: '2' });

    kvm.define(null, 'filled', { a: 'mine' });
    await setup({ mapName: 'filled', initialEntries: { a: '1', b: '2' } }, kvm)(flowContext());
    expect(kvm.entries(null, 'filled')).toEqual({ a: 'mine' });
  });

  it('values of an encrypted map go only into private. variables (SetVariableFailed otherwise)', async () => {
    const kvm = new MemoryKeyValueMaps();
    kvm.define(null, 'secrets', { apikey: 's3cret' }, true);
    const ok = flowContext();
    await setup({ mapName: 'secrets', get: [{ key: 'apikey', assignTo: 'private.apikey' }] }, kvm)(ok);
    expect(ok.get('private.apikey')).toBe('s3cret');

    const bad = flowContext();
    const error = await fault(setup({ mapName: 'secrets', get: [{ key: 'apikey', assignTo: 'flow.apikey' }] }, kvm), bad);
    expect(error).toMatchObject({ code: 'key-value-map.set_variable_failed', faultName: 'SetVariableFailed', status: 500 });
    expect(bad.get('flow.apikey')).toBeUndefined();
  });

  it('turns a failing map into an OperationFailed fault', async () => {
    const broken: KeyValueMaps = {
      get: async () => {
        throw new Error('store down');
      },
      put: async () => false,
      delete: async () => false,
      initialize: async () => false,
    };
    const error = await fault(setup({ mapName: 'x', get: [{ key: 'k', assignTo: 'flow.k' }] }, broken), flowContext());
    expect(error).toMatchObject({ code: 'key-value-map.operation_failed', status: 500 });
    expect(error.message).toContain('store down');
  });

  it('passes the cache TTL (cacheTtlSeconds, default 300) to the map', async () => {
    const seen: number[] = [];
    const kvm: KeyValueMaps = { get: async (_a, _m, _k, maxAgeMs) => (seen.push(maxAgeMs), undefined), put: async () => false, delete: async () => false, initialize: async () => false };
    await setup({ mapName: 'x', get: [{ key: 'k', assignTo: 'flow.k' }] }, kvm)(flowContext());
    await setup({ mapName: 'x', cacheTtlSeconds: 0, get: [{ key: 'k', assignTo: 'flow.k' }] }, kvm)(flowContext());
    expect(seen).toEqual([300_000, 0]);
  });

  it('refuses at deploy a step with no operation, or a key template with a function', () => {
    expect(() => setup({ mapName: 'x' })).toThrow(PolicyConfigError);
    expect(() => setup({ mapName: 'x', get: [{ key: '{escapeJSON(a)}', assignTo: 'flow.k' }] })).toThrow(PolicyConfigError);
  });
});
