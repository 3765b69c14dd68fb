import { Value } from '@sinclair/typebox/value';
import { describe, expect, it } from 'vitest';
import { configure, flowContext, policyDeps, withResponse, type FakeRequest } from '../../../test/helpers/flow-context.ts';
import { ManualClock } from '../../util/clock.ts';
import { PolicyConfigError, type PolicyDeps, type StepFunction } from '../policy.ts';
import { responseCache } from './index.ts';
import { MemoryResponseCacheStore, type CachedResponse } from './store.ts';

interface Setup {
  clock: ManualClock;
  deps: PolicyDeps;
  store: MemoryResponseCacheStore;
}

function setup(): Setup {
  const clock = new ManualClock();
  const store = new MemoryResponseCacheStore();
  const deps = { ...policyDeps({}, clock), responseCache: store } as PolicyDeps;
  return { clock, deps, store };
}

function steps(s: Setup, config: unknown = {}, names: { api?: string; step?: string } = {}): { lookup: StepFunction; populate: StepFunction } {
  const compiled = configure(responseCache, config);
  const placement = { api: names.api ?? 'weather', stepName: names.step ?? 'cache' };
  return {
    lookup: responseCache.create(compiled, s.deps, { ...placement, phase: 'request' }),
    populate: responseCache.create(compiled, s.deps, { ...placement, phase: 'response' }),
  };
}

/** Runs one call the way the flow does: lookup, then the target (unless the lookup answered), then populate. */
async function call(s: Setup, pair: { lookup: StepFunction; populate: StepFunction }, request: FakeRequest, target: { status?: number; body?: string; headers?: Record<string, string> } = {}) {
  const context = flowContext({ url: '/weather/forecast?city=Berlin', basePath: '/weather', ...request }, s.clock);
  await pair.lookup(context);
  if (!context.responded) withResponse(context, target.status ?? 200, target.body ?? '{"temp":21}', target.headers ?? {});
  await pair.populate(context);
  return { context, hit: context.get('responsecache.cache.cachehit'), body: (await context.response!.readBody()).toString() };
}

describe('response-cache', () => {
  it('stores a GET response and answers the next identical call from the cache, skipping the target', async () => {
    const s = setup();
    const pair = steps(s);
    const first = await call(s, pair, {}, { headers: { 'x-from': 'target', 'content-type': 'application/json' } });
    expect(first.hit).toBe(false);
    expect(first.context.responded).toBe(false);
    s.clock.advance(42_000);
    const second = await call(s, pair, {}, { body: 'the target must not be asked' });
    expect(second.hit).toBe(true);
    expect(second.context.responded).toBe(true);
    expect(second.body).toBe('{"temp":21}');
    expect(second.context.response!.headers).toMatchObject({ 'x-from': 'target', 'content-type': 'application/json', age: '42', 'content-length': '11' });
    expect(second.context.get('responsecache.cache.cachekey')).toBe('GET__/weather/forecast?city=Berlin');
  });

  it('keys on method, path and query by default', async () => {
    const s = setup();
    const pair = steps(s);
    await call(s, pair, {});
    expect((await call(s, pair, { url: '/weather/forecast?city=Paris' })).hit).toBe(false);
    expect((await call(s, pair, { url: '/weather/current?city=Berlin' })).hit).toBe(false);
  });

  it('forgets an entry after timeoutSeconds', async () => {
    const s = setup();
    const pair = steps(s, { timeoutSeconds: 60 });
    await call(s, pair, {});
    s.clock.advance(59_999);
    expect((await call(s, pair, {})).hit).toBe(true);
    s.clock.advance(1);
    expect((await call(s, pair, {})).hit).toBe(false);
  });

  it('does not store error responses by default, and does when told to', async () => {
    const s = setup();
    const pair = steps(s);
    await call(s, pair, {}, { status: 503 });
    expect((await call(s, pair, {})).hit).toBe(false);
    const keeping = steps(s, { excludeErrorResponses: false }, { step: 'cache' , api: 'other' });
    await call(s, keeping, {}, { status: 404 });
    const again = await call(s, keeping, {});
    expect(again.hit).toBe(true);
    expect(again.context.response!.status).toBe(404);
  });

  it('does not store what the target marks no-store, no-cache or private, nor responses that set cookies', async () => {
    for (const headers of [{ 'cache-control': 'no-store' }, { 'cache-control': 'public, no-cache' }, { 'cache-control': 'private, max-age=60' }, { 'set-cookie': 'session=1' }] as Array<Record<string, string>>) {
      const s = setup();
      const pair = steps(s);
      await call(s, pair, {}, { headers });
      expect((await call(s, pair, {})).hit, JSON.stringify(headers)).toBe(false);
    }
  });

  it("lets the target's max-age shorten an entry's life with useResponseCacheHeaders", async () => {
    const s = setup();
    const pair = steps(s, { useResponseCacheHeaders: true, timeoutSeconds: 300 });
    await call(s, pair, {}, { headers: { 'cache-control': 'max-age=10' } });
    s.clock.advance(10_000);
    expect((await call(s, pair, {}, { headers: { 'cache-control': 's-maxage=600, max-age=10' } })).hit).toBe(false);
    s.clock.advance(299_000);
    expect((await call(s, pair, {})).hit).toBe(true); // s-maxage=600, capped at timeoutSeconds=300
    s.clock.advance(1_000);
    expect((await call(s, pair, {})).hit).toBe(false);
  });

  it('ignores the target cache headers for the lifetime by default', async () => {
    const s = setup();
    const pair = steps(s);
    await call(s, pair, {}, { headers: { 'cache-control': 'max-age=1' } });
    s.clock.advance(100_000);
    expect((await call(s, pair, {})).hit).toBe(true);
  });

  it("keeps representations apart by the target's Vary", async () => {
    const s = setup();
    const pair = steps(s);
    await call(s, pair, { headers: { 'accept-encoding': 'gzip' } }, { body: 'gzipped', headers: { vary: 'Accept-Encoding', 'content-encoding': 'gzip' } });
    expect((await call(s, pair, { headers: { 'accept-encoding': 'identity' } }, { body: 'plain', headers: { vary: 'Accept-Encoding' } })).hit).toBe(false);
    expect((await call(s, pair, { headers: { 'accept-encoding': 'identity' } })).body).toBe('plain');
    await call(s, pair, { headers: { 'accept-encoding': 'gzip' } }, { body: 'gzipped', headers: { vary: 'Accept-Encoding' } });
    const gz = await call(s, pair, { headers: { 'accept-encoding': 'gzip' } });
    expect(gz.hit).toBe(true);
    expect(gz.body).toBe('gzipped');
  });

  it('answers a HEAD from the GET entry and never stores a HEAD response', async () => {
    const s = setup();
    const pair = steps(s);
    await call(s, pair, { method: 'HEAD' }, { body: '' });
    expect(s.store.size).toBe(0);
    await call(s, pair, {});
    const head = await call(s, pair, { method: 'HEAD' });
    expect(head.hit).toBe(true);
    expect(head.context.response!.header('content-length')).toBe('11');
  });

  it('neither looks up nor stores other methods by default', async () => {
    const s = setup();
    const pair = steps(s);
    await call(s, pair, { method: 'POST' });
    expect(s.store.size).toBe(0);
    expect((await call(s, pair, { method: 'POST' })).hit).toBe(false);
  });

  it('still stores when a condition skipped the lookup step (Apigee SkipCacheLookup)', async () => {
    const s = setup();
    const pair = steps(s);
    const context = flowContext({ url: '/weather/forecast?city=Berlin', basePath: '/weather' }, s.clock);
    withResponse(context, 200, 'fresh'); // the lookup step did not run
    await pair.populate(context);
    expect((await call(s, pair, {})).body).toBe('fresh');
  });

  it('does not store bodies over maxEntryBytes', async () => {
    const s = setup();
    const pair = steps(s, { maxEntryBytes: 10 });
    await call(s, pair, {}, { body: '01234567890' });
    expect(s.store.size).toBe(0);
  });

  it('builds the key from the prefix, the fragment templates and the accept headers', async () => {
    const s = setup();
    const pair = steps(s, { cacheKeyPrefix: 'v1', cacheKeyFragments: ['{request.queryparam.city}', 'fixed'], useAcceptHeader: true });
    const result = await call(s, pair, { headers: { accept: 'application/json' } });
    expect(result.context.get('responsecache.cache.cachekey')).toBe('v1__Berlin__fixed__application/json______');
  });

  it('shares entries only between steps of the same API and step name', async () => {
    const s = setup();
    await call(s, steps(s), {});
    expect((await call(s, steps(s), {})).hit).toBe(true); // a new deploy of the same API and step
    expect((await call(s, steps(s, {}, { api: 'other-api' }), {})).hit).toBe(false);
    const other = steps(s, {}, { step: 'other-step' });
    const context = flowContext({ url: '/weather/forecast?city=Berlin', basePath: '/weather' }, s.clock);
    await other.lookup(context);
    expect(context.get('responsecache.other-step.cachehit')).toBe(false);
  });

  it('shares a memory store per PolicyDeps until the gateway provides one', async () => {
    const clock = new ManualClock();
    const deps = policyDeps({}, clock);
    const compiled = Value.Default(responseCache.config, {}) as Parameters<typeof responseCache.create>[0];
    const lookup = responseCache.create(compiled, deps, { api: 'a', stepName: 'c', phase: 'request' });
    const populate = responseCache.create(compiled, deps, { api: 'a', stepName: 'c', phase: 'response' });
    const first = flowContext({}, clock);
    await lookup(first);
    withResponse(first, 200, 'cached');
    await populate(first);
    const second = flowContext({}, clock);
    await lookup(second);
    expect(second.responded).toBe(true);
    const elsewhere = flowContext({}, clock);
    await responseCache.create(compiled, policyDeps({}, clock), { api: 'a', stepName: 'c', phase: 'request' })(elsewhere);
    expect(elsewhere.responded).toBe(false);
  });

  it('refuses to be placed in a fault rule', () => {
    const compiled = Value.Default(responseCache.config, {}) as Parameters<typeof responseCache.create>[0];
    expect(() => responseCache.create(compiled, policyDeps(), { api: 'a', stepName: 'c', phase: 'fault' })).toThrow(PolicyConfigError);
  });
});

describe('MemoryResponseCacheStore', () => {
  const entry = (body = 'x'): CachedResponse => ({ status: 200, headers: {}, body: Buffer.from(body), storedAt: 0, vary: {} });

  it('evicts the least recently read entry beyond maxEntries', async () => {
    const store = new MemoryResponseCacheStore({ maxEntries: 2 });
    await store.set('a', entry(), 1000, 0);
    await store.set('b', entry(), 1000, 0);
    await store.get('a', 0);
    await store.set('c', entry(), 1000, 0);
    expect(await store.get('b', 0)).toBeUndefined();
    expect(await store.get('a', 0)).toBeDefined();
    expect(await store.get('c', 0)).toBeDefined();
  });

  it('evicts beyond maxBytes, and refuses an entry larger than the whole store', async () => {
    const store = new MemoryResponseCacheStore({ maxBytes: 300 });
    await store.set('a', entry('a'.repeat(100)), 1000, 0);
    await store.set('b', entry('b'.repeat(100)), 1000, 0);
    expect(store.size).toBe(1);
    expect(await store.get('b', 0)).toBeDefined();
    await store.set('c', entry('c'.repeat(400)), 1000, 0);
    expect(await store.get('c', 0)).toBeUndefined();
    expect(store.bytes).toBeLessThanOrEqual(300);
  });

  it('drops an expired entry when read, and replaces an entry set again', async () => {
    const store = new MemoryResponseCacheStore();
    await store.set('a', entry('1'), 1000, 0);
    await store.set('a', entry('2'), 1000, 0);
    expect((await store.get('a', 999))?.body.toString()).toBe('2');
    expect(await store.get('a', 1000)).toBeUndefined();
    expect(store.size).toBe(0);
    expect(store.bytes).toBe(0);
  });
});
