import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../manage/apps.ts';
import { ChangeFeed } from '../manage/changes.ts';
import { SYSTEM_ACTOR, type ManageDeps } from '../manage/context.ts';
import { createDeveloper } from '../manage/developers.ts';
import { openStore, type SqlStore } from '../store/index.ts';
import { ManualClock } from '../util/clock.ts';
import { isPromise } from '../util/maybe-promise.ts';
import { CachedKeys } from './keys.ts';

let store: SqlStore;
let deps: ManageDeps;

beforeAll(async () => {
  ({ store } = await openStore({ sqliteFile: ':memory:' }));
  deps = { store, clock: new ManualClock(), changes: new ChangeFeed() };
  await createDeveloper(deps, SYSTEM_ACTOR, { email: 'dana@example.com', firstName: 'Dana', lastName: 'D' });
  await createApp(deps, SYSTEM_ACTOR, 'dana@example.com', { name: 'app', credentials: [{ clientId: 'known-client-0001', clientSecret: 'known-secret-0123456789' }] });
});
afterAll(async () => {
  await store.close();
});

describe('CachedKeys', () => {
  it('caches known keys and drops one when its credential changes', async () => {
    const keys = new CachedKeys(store, deps.changes);
    expect((await keys.find('known-client-0001'))?.app.name).toBe('app');
    expect(keys.size).toBe(1);
    await deps.changes.emit({ kind: 'credential', name: 'known-client-0001' });
    expect(keys.size).toBe(0);
    keys.close();
  });

  it('answers a cached key at once (not a promise), and one load serves callers that ask while it runs', async () => {
    const keys = new CachedKeys(store, deps.changes);
    const first = keys.find('known-client-0001');
    expect(isPromise(first)).toBe(true);
    expect(keys.find('known-client-0001')).toBe(first);
    const loaded = await first;
    expect(keys.find('known-client-0001')).toBe(loaded);
    keys.close();
  });

  it('does not cache a load that a change overtook', async () => {
    const keys = new CachedKeys(store, deps.changes);
    const loading = keys.find('known-client-0001');
    await deps.changes.emit({ kind: 'credential', name: 'known-client-0001' });
    expect((await loading)?.app.name).toBe('app');
    expect(keys.size).toBe(0);
    keys.close();
  });

  it('never keeps unknown ids, so random ids cannot fill memory', async () => {
    const keys = new CachedKeys(store, deps.changes);
    for (let i = 0; i < 100; i++) expect(await keys.find(`unknown-${i}`)).toBeUndefined();
    expect(keys.size).toBe(0);
    keys.close();
  });

  it('does not look up ids longer than a client id can be', async () => {
    const keys = new CachedKeys(store, deps.changes);
    expect(await keys.find('x'.repeat(5000))).toBeUndefined();
    expect(keys.size).toBe(0);
    keys.close();
  });

  it('holds at most its bound, evicting the least recently used', async () => {
    await createApp(deps, SYSTEM_ACTOR, 'dana@example.com', { name: 'app2', credentials: [{ clientId: 'known-client-0002', clientSecret: 'known-secret-0123456789' }] });
    const keys = new CachedKeys(store, deps.changes, 1);
    await keys.find('known-client-0001');
    await keys.find('known-client-0002');
    expect(keys.size).toBe(1);
    keys.close();
  });
});
