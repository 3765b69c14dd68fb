import { Value } from '@sinclair/typebox/value';
import { describe, expect, it } from 'vitest';
import { configure, flowContext, policyDeps, withResponse, outcome } from '../../../test/helpers/flow-context.ts';
import { MemoryCounters } from '../../counters/memory.ts';
import type { Counters } from '../../counters/counters.ts';
import { ManualClock } from '../../util/clock.ts';
import { StepFault, type FlowContext, type PolicyDeps, type StepPlacement } from '../policy.ts';
import { quota } from './index.ts';

const START = Date.UTC(2026, 0, 1, 12, 0, 0);

function step(config: unknown, deps: PolicyDeps, placement: Partial<StepPlacement> = {}) {
  const compiled = configure(quota, config);
  return quota.create(compiled, deps, { api: 'api', stepName: 'q', phase: 'request', ...placement });
}

function setup(config: unknown, placement: Partial<StepPlacement> = {}) {
  const clock = new ManualClock(START);
  const deps = policyDeps({}, clock);
  const run = step(config, deps, placement);
  const context = (request: Parameters<typeof flowContext>[0] = {}) => flowContext(request, clock);
  return { clock, deps, run, context };
}

/** As a verify-api-key or VerifyAccessToken step leaves a call whose product has a quota. */
function fromProduct(context: FlowContext, product: string, limit: number, timeUnit = 'minute', interval = 1): FlowContext {
  context.caller = { clientId: 'client-1', appId: 'app-id', appName: 'app', developerId: 'dev', developerEmail: 'd@example.com', product };
  context.set('apiproduct.name', product);
  context.set('apiproduct.developer.quota.limit', limit);
  context.set('apiproduct.developer.quota.interval', interval);
  context.set('apiproduct.developer.quota.timeunit', timeUnit);
  return context;
}

describe('quota', () => {
  it('allows calls up to the limit and refuses the next with QuotaViolation, 429 and the RateLimit headers', async () => {
    const { run, context } = setup({ limit: 2, timeUnit: 'minute' });
    expect(await outcome(run, context())).toBe('passed');
    expect(await outcome(run, context())).toBe('passed');
    const fault = await outcome(run, context({ clientIp: '127.0.0.1' }));
    expect(fault).toBeInstanceOf(StepFault);
    expect(fault).toMatchObject({
      status: 429,
      faultName: 'QuotaViolation',
      code: 'quota.exceeded',
      apigeeCode: 'policies.ratelimit.QuotaViolation',
      message: 'Rate limit quota violation. Quota limit exceeded. Identifier : 127.0.0.1',
      // 12:00:00 exactly: the minute window ends in 60 s.
      headers: { 'ratelimit-limit': '2', 'ratelimit-remaining': '0', 'ratelimit-reset': '60', 'retry-after': '60' },
    });
  });

  it('lets exactly the limit through when a thousand calls arrive at once', async () => {
    const { run, context } = setup({ limit: 100, timeUnit: 'hour' });
    const results = await Promise.all(Array.from({ length: 1000 }, () => outcome(run, context({ clientIp: '10.0.0.1' }))));
    expect(results.filter((r) => r === 'passed')).toHaveLength(100);
    expect(results.filter((r) => r instanceof StepFault && r.code === 'quota.exceeded')).toHaveLength(900);
  });

  it('starts afresh when the window ends, and reports the seconds left in it', async () => {
    const { clock, run, context } = setup({ limit: 1, timeUnit: 'minute' });
    clock.advance(45_500);
    expect(await outcome(run, context())).toBe('passed');
    const refused = await outcome(run, context());
    expect((refused as StepFault).headers['retry-after']).toBe('15');
    clock.advance(14_500); // 12:01:00: a new minute
    expect(await outcome(run, context())).toBe('passed');
  });

  it('spans interval × timeUnit', async () => {
    const { clock, run, context } = setup({ limit: 1, interval: 2, timeUnit: 'hour' });
    expect(await outcome(run, context())).toBe('passed');
    clock.advance(3_600_000); // 13:00, still in the 12:00-14:00 window
    expect(await outcome(run, context())).toBeInstanceOf(StepFault);
    clock.advance(3_600_000);
    expect(await outcome(run, context())).toBe('passed');
  });

  it('counts each identifier separately: the caller\'s client id by default, else the client address', async () => {
    const { run, context } = setup({ limit: 1, timeUnit: 'day' });
    expect(await outcome(run, context({ clientIp: '10.0.0.1' }))).toBe('passed');
    expect(await outcome(run, context({ clientIp: '10.0.0.2' }))).toBe('passed');
    expect(await outcome(run, context({ clientIp: '10.0.0.1' }))).toBeInstanceOf(StepFault);
    const identified = (clientId: string) => {
      const c = context({ clientIp: '10.0.0.1' });
      c.caller = { clientId, appId: 'a', appName: 'a', developerId: 'd', developerEmail: 'd@example.com' };
      return c;
    };
    expect(await outcome(run, identified('client-a'))).toBe('passed');
    expect(await outcome(run, identified('client-b'))).toBe('passed');
    expect(await outcome(run, identified('client-a'))).toBeInstanceOf(StepFault);
  });

  it('counts by the identifier variable, falling back to the default when it is not set', async () => {
    const { run, context } = setup({ limit: 1, timeUnit: 'day', identifier: 'request.header.x-tenant' });
    expect(await outcome(run, context({ headers: { 'x-tenant': 'acme' } }))).toBe('passed');
    expect(await outcome(run, context({ headers: { 'x-tenant': 'globex' } }))).toBe('passed');
    const refused = await outcome(run, context({ headers: { 'x-tenant': 'acme' } }));
    expect((refused as StepFault).message).toBe('Rate limit quota violation. Quota limit exceeded. Identifier : acme');
    expect(await outcome(run, context({ clientIp: '10.9.9.9' }))).toBe('passed');
  });

  it('keeps the counts of different APIs and different steps apart', async () => {
    const clock = new ManualClock(START);
    const deps = policyDeps({}, clock);
    const weather = step({ limit: 1, timeUnit: 'day' }, deps, { api: 'weather' });
    const maps = step({ limit: 1, timeUnit: 'day' }, deps, { api: 'maps' });
    const other = step({ limit: 1, timeUnit: 'day' }, deps, { api: 'weather', stepName: 'burst' });
    expect(await outcome(weather, flowContext({}, clock))).toBe('passed');
    expect(await outcome(maps, flowContext({}, clock))).toBe('passed');
    expect(await outcome(other, flowContext({}, clock))).toBe('passed');
    expect(await outcome(weather, flowContext({}, clock))).toBeInstanceOf(StepFault);
  });

  it("uses the quota of the caller's product instead of its own, counted per product", async () => {
    const { run, context } = setup({ limit: 1, timeUnit: 'day' });
    for (let i = 0; i < 3; i++) expect(await outcome(run, fromProduct(context(), 'gold', 3))).toBe('passed');
    const refused = await outcome(run, fromProduct(context(), 'gold', 3));
    expect(refused).toMatchObject({ code: 'quota.exceeded', headers: { 'ratelimit-limit': '3' } });
    // Another product of the same client has its own counter.
    expect(await outcome(run, fromProduct(context(), 'silver', 2))).toBe('passed');
  });

  it('shares a product counter between the APIs of the product whose quota steps have the same name', async () => {
    const clock = new ManualClock(START);
    const deps = policyDeps({}, clock);
    const weather = step({ limit: 100, timeUnit: 'day' }, deps, { api: 'weather' });
    const maps = step({ limit: 100, timeUnit: 'day' }, deps, { api: 'maps' });
    expect(await outcome(weather, fromProduct(flowContext({}, clock), 'gold', 1))).toBe('passed');
    expect(await outcome(maps, fromProduct(flowContext({}, clock), 'gold', 1))).toBeInstanceOf(StepFault);
  });

  it("uses its own numbers when the product has no quota, or when told to ignore the product's", async () => {
    const { run, context } = setup({ limit: 1, timeUnit: 'day' });
    const noQuota = () => {
      const c = context();
      c.caller = { clientId: 'client-1', appId: 'a', appName: 'a', developerId: 'd', developerEmail: 'd@example.com', product: 'free' };
      return c;
    };
    expect(await outcome(run, noQuota())).toBe('passed');
    expect(await outcome(run, noQuota())).toMatchObject({ headers: { 'ratelimit-limit': '1' } });

    const { run: own, context: ownContext } = setup({ limit: 1, timeUnit: 'day', useProductQuota: false });
    expect(await outcome(own, fromProduct(ownContext(), 'gold', 50))).toBe('passed');
    expect(await outcome(own, fromProduct(ownContext(), 'gold', 50))).toMatchObject({ headers: { 'ratelimit-limit': '1' } });
  });

  it("reads the product's window from its interval and time unit", async () => {
    const { clock, run, context } = setup({ limit: 100, timeUnit: 'minute' });
    expect(await outcome(run, fromProduct(context(), 'gold', 1, 'hour'))).toBe('passed');
    clock.advance(30 * 60_000);
    expect(await outcome(run, fromProduct(context(), 'gold', 1, 'hour'))).toMatchObject({ headers: { 'ratelimit-reset': '1800' } });
  });

  it('sets the ratelimit variables of the step', async () => {
    const { clock, run, context } = setup({ limit: 5, timeUnit: 'minute' });
    clock.advance(10_000);
    const c = context({ clientIp: '10.1.1.1' });
    await run(c);
    expect(c.get('ratelimit.q.allowed.count')).toBe(5);
    expect(c.get('ratelimit.q.used.count')).toBe(1);
    expect(c.get('ratelimit.q.available.count')).toBe(4);
    expect(c.get('ratelimit.q.expiry.time')).toBe(START + 60_000);
    expect(c.get('ratelimit.q.reset.seconds')).toBe(50);
    expect(c.get('ratelimit.q.identifier')).toBe('10.1.1.1');
    expect(c.get('ratelimit.q.failed')).toBeUndefined();
  });

  it("keeps each call's own values after later calls, and lets a later step overwrite one", async () => {
    const { run, context } = setup({ limit: 5, timeUnit: 'minute' });
    const first = context({ clientIp: '10.1.1.1' });
    await run(first);
    const second = context({ clientIp: '10.1.1.1' });
    await run(second);
    expect([first.get('ratelimit.q.used.count'), second.get('ratelimit.q.used.count')]).toEqual([1, 2]);
    first.set('ratelimit.q.available.count', 'changed');
    expect(first.get('ratelimit.q.available.count')).toBe('changed');
    expect(first.get('ratelimit.q.allowed.count')).toBe(5);
  });

  it('marks the step failed in its variables when it refuses a call', async () => {
    const { run, context } = setup({ limit: 1, timeUnit: 'minute' });
    await run(context());
    const c = context();
    await outcome(run, c);
    expect(c.get('ratelimit.q.failed')).toBe(true);
    expect(c.get('ratelimit.q.available.count')).toBe(0);
  });

  it('puts the RateLimit headers on the final response, from the request flow or the response flow', async () => {
    for (const phase of ['request', 'response'] as const) {
      const { run, context } = setup({ limit: 3, timeUnit: 'minute' }, { phase });
      const c = withResponse(context(), 200, '{}');
      await run(c);
      expect(c.responseHeaders).toEqual({ 'ratelimit-limit': '3', 'ratelimit-remaining': '2', 'ratelimit-reset': '60' });
    }
  });

  it('leaves allowed responses without RateLimit headers when rateLimitHeaders is false, and still sends them with a refusal', async () => {
    const { run, context } = setup({ limit: 1, timeUnit: 'minute', rateLimitHeaders: false });
    const allowed = withResponse(context(), 200, '{}');
    await run(allowed);
    expect(allowed.responseHeaders).toBeUndefined();
    expect(allowed.get('ratelimit.q.available.count')).toBe(0);
    expect(await outcome(run, context())).toMatchObject({ code: 'quota.exceeded', headers: { 'ratelimit-limit': '1', 'ratelimit-remaining': '0', 'ratelimit-reset': '60', 'retry-after': '60' } });
  });

  it('counts a message for its weight', async () => {
    const { run, context } = setup({ limit: 10, timeUnit: 'minute', weight: 'request.header.x-weight' });
    expect(await outcome(run, context({ headers: { 'x-weight': '6' } }))).toBe('passed');
    expect(await outcome(run, context({ headers: { 'x-weight': '5' } }))).toMatchObject({ code: 'quota.exceeded', headers: { 'ratelimit-remaining': '4' } });
    expect(await outcome(run, context({ headers: { 'x-weight': '4' } }))).toBe('passed');
    expect(await outcome(run, context({ headers: { 'x-weight': '0' } }))).toBe('passed');
    expect(await outcome(run, context())).toBeInstanceOf(StepFault); // unset: weight 1
  });

  it('refuses a weight that is not a non-negative integer with InvalidMessageWeight', async () => {
    const { run, context } = setup({ limit: 10, timeUnit: 'minute', weight: 'request.header.x-weight' });
    for (const weight of ['1.5', '-1', 'lots']) {
      expect(await outcome(run, context({ headers: { 'x-weight': weight } }))).toMatchObject({
        status: 500,
        code: 'quota.invalid_weight',
        faultName: 'InvalidMessageWeight',
        apigeeCode: 'policies.ratelimit.InvalidMessageWeight',
        message: `Invalid message weight value ${weight}`,
      });
    }
  });

  it('answers violations with the configured status, 500 like Apigee Edge', async () => {
    const { run, context } = setup({ limit: 1, timeUnit: 'minute', status: 500 });
    await run(context());
    expect(await outcome(run, context())).toMatchObject({ status: 500, faultName: 'QuotaViolation' });
  });

  it('works with counters that answer asynchronously (a shared store)', async () => {
    const clock = new ManualClock(START);
    const memory = new MemoryCounters();
    const remote: Counters = {
      hit: async (...args) => memory.hit(...args),
      smooth: async (...args) => memory.smooth(...args),
    };
    const run = step({ limit: 1, timeUnit: 'minute' }, policyDeps({ counters: remote }, clock));
    expect(await outcome(run, flowContext({}, clock))).toBe('passed');
    expect(await outcome(run, flowContext({}, clock))).toMatchObject({ code: 'quota.exceeded' });
  });

  it('needs a limit and a time unit of its own, the fallback when no product quota applies', () => {
    expect(Value.Check(quota.config, Value.Default(quota.config, { timeUnit: 'day' }))).toBe(false);
    expect(Value.Check(quota.config, Value.Default(quota.config, { limit: 5 }))).toBe(false);
    expect(Value.Check(quota.config, Value.Default(quota.config, { limit: 5, timeUnit: 'fortnight' }))).toBe(false);
    expect(Value.Default(quota.config, { limit: 5, timeUnit: 'day' })).toEqual({ limit: 5, timeUnit: 'day', interval: 1, useProductQuota: true, rateLimitHeaders: true, status: 429 });
  });
});
