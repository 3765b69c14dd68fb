import { describe, expect, it } from 'vitest';
import { GatehouseError } from '../errors.ts';
import type { ApiSpec } from '../model/api.ts';
import { policyRegistry } from '../policies/index.ts';
import { policyDeps } from '../../test/helpers/flow-context.ts';
import { compileApi } from './compile.ts';
import { TargetPools } from './target.ts';

const deps = { policies: policyRegistry(), policyDeps: policyDeps(), pools: new TargetPools() };

function problems(spec: ApiSpec): Array<{ path: string; message: string }> {
  try {
    compileApi(spec, 1, deps);
  } catch (error) {
    if (error instanceof GatehouseError && error.code === 'api.invalid') return (error.details?.errors ?? []) as Array<{ path: string; message: string }>;
    throw error;
  }
  return [];
}

describe('compileApi', () => {
  it('compiles a valid API, naming unnamed steps after their policy', () => {
    const api = compileApi({ name: 'w', basePath: '/w', preFlow: { request: [{ policy: 'quota', config: { limit: 5, timeUnit: 'minute' } }, { policy: 'quota', config: { limit: 9, timeUnit: 'hour' } }] } }, 1, deps);
    expect(api.preFlow.request.map((s) => s.name)).toEqual(['quota', 'quota-2']);
  });

  it('points at a bad condition with its position', () => {
    const found = problems({ name: 'w', basePath: '/w', flows: [{ name: 'f', condition: 'request.verb = "GET")' }] });
    expect(found).toEqual([{ path: '/flows/0/condition', message: expect.stringContaining('position 20') }]);
  });

  it('names the known policies when a step names an unknown one', () => {
    const [found] = problems({ name: 'w', basePath: '/w', preFlow: { request: [{ policy: 'oauth' }] } });
    expect(found?.path).toBe('/preFlow/request/0/policy');
    expect(found?.message).toContain('oauth-v2');
  });

  it('points into the config of a step that does not fit its policy', () => {
    const [found] = problems({ name: 'w', basePath: '/w', preFlow: { request: [{ policy: 'oauth-v2', config: { operation: 'Mint' } }] } });
    expect(found?.path).toBe('/preFlow/request/0/config/operation');
  });

  it('collects every problem, not only the first', () => {
    const found = problems({ name: 'w', basePath: '/healthz', preFlow: { request: [{ policy: 'nope' }], response: [{ policy: 'quota', condition: '(' }] } });
    expect(found.map((p) => p.path)).toEqual(['/basePath', '/preFlow/request/0/policy', '/preFlow/response/0/condition', '/preFlow/response/0/config/limit', '/preFlow/response/0/config/timeUnit']);
    expect(found[3]?.message).toBe('expected required property');
  });
});
