// Key value maps over the management API: maps per scope, entries, encrypted maps (write-only values, narrower
// reads), limits, audit without values, and deleting an API deleting its maps.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../../src/manage/context.ts';
import { createPersonalToken, createUser } from '../../src/manage/users.ts';
import type { Role } from '../../src/model/user.ts';
import { startControlPlane, TEST_SECRET_KEY, type ControlPlane } from '../helpers/control-plane.ts';

let cp: ControlPlane;
const tokens: Partial<Record<Role, string>> = {};

async function tokenFor(email: string, roles: Role[]): Promise<string> {
  const { view } = await createUser(cp.deps, SYSTEM_ACTOR, { email, roles, status: 'active' });
  const created = await createPersonalToken(cp.deps, { name: view.email, userId: view.id, roles: view.roles }, { name: 'kvm' });
  return created.token as string;
}

beforeAll(async () => {
  cp = await startControlPlane();
  tokens.viewer = await tokenFor('kvm-viewer@example.com', ['viewer']);
  tokens['api-editor'] = await tokenFor('kvm-editor@example.com', ['api-editor']);
  const api = await cp.call('POST', '/apis', { name: 'weather', basePath: '/weather' });
  expect(api.status).toBe(201);
});

afterAll(async () => {
  await cp?.close();
});

describe('maps', () => {
  it('creates an organisation-wide map and an API-scoped map of the same name, and tells them apart with ?api=', async () => {
    const org = await cp.call('POST', '/keyvaluemaps', { name: 'settings', description: 'shared' });
    expect(org.status).toBe(201);
    expect(org.headers.get('location')).toBe('/api/v1/keyvaluemaps/settings');
    expect(org.headers.get('etag')).toBe('"1"');
    expect(await org.json()).toMatchObject({ name: 'settings', encrypted: false, description: 'shared' });

    const scoped = await cp.call('POST', '/keyvaluemaps', { name: 'settings', api: 'weather' });
    expect(scoped.status).toBe(201);
    expect(scoped.headers.get('location')).toBe('/api/v1/keyvaluemaps/settings?api=weather');

    expect((await (await cp.call('GET', '/keyvaluemaps/settings')).json()).api).toBeUndefined();
    expect((await (await cp.call('GET', '/keyvaluemaps/settings?api=weather')).json()).api).toBe('weather');

    const again = await cp.call('POST', '/keyvaluemaps', { name: 'settings', api: 'weather' });
    expect(again.status).toBe(409);
    expect((await again.json()).code).toBe('kvm.exists');

    const list = await (await cp.call('GET', '/keyvaluemaps')).json();
    expect(list.items.map((m: { name: string; api?: string }) => `${m.api ?? ''}/${m.name}`)).toEqual(['/settings', 'weather/settings']);
    const onlyWeather = await (await cp.call('GET', '/keyvaluemaps?api=weather')).json();
    expect(onlyWeather.items).toHaveLength(1);
  });

  it('refuses a map of an unknown API, and answers kvm.not_found for an unknown map', async () => {
    const unknownApi = await cp.call('POST', '/keyvaluemaps', { name: 'x', api: 'nope' });
    expect(unknownApi.status).toBe(422);
    expect((await unknownApi.json()).code).toBe('kvm.unknown_api');
    const missing = await cp.call('GET', '/keyvaluemaps/nothing');
    expect(missing.status).toBe(404);
    expect((await missing.json()).code).toBe('kvm.not_found');
  });

  it('PUT changes the description, honours If-Match, and cannot change encryption or scope', async () => {
    const stale = await cp.call('PUT', '/keyvaluemaps/settings', { name: 'settings', description: 'x' }, { headers: { 'if-match': '"9"' } });
    expect(stale.status).toBe(412);
    const updated = await cp.call('PUT', '/keyvaluemaps/settings', { name: 'settings', description: 'changed' }, { headers: { 'if-match': '"1"' } });
    expect(updated.status).toBe(200);
    expect(updated.headers.get('etag')).toBe('"2"');
    const encrypt = await cp.call('PUT', '/keyvaluemaps/settings', { name: 'settings', encrypted: true });
    expect(encrypt.status).toBe(409);
    expect((await encrypt.json()).code).toBe('kvm.encrypted_immutable');
    const move = await cp.call('PUT', '/keyvaluemaps/settings', { name: 'settings', api: 'weather' });
    expect(move.status).toBe(400);
  });
});

describe('entries', () => {
  it('PUT creates (201) then replaces (200); GET reads; list pages in key order; DELETE removes', async () => {
    const created = await cp.call('PUT', '/keyvaluemaps/settings/entries/region', { value: 'eu-west' });
    expect(created.status).toBe(201);
    expect(await created.json()).toMatchObject({ key: 'region', value: 'eu-west' });
    const replaced = await cp.call('PUT', '/keyvaluemaps/settings/entries/region', { value: 'eu-central' });
    expect(replaced.status).toBe(200);
    await cp.call('PUT', '/keyvaluemaps/settings/entries/a%2Fb%20%C3%BC', { value: 'slash and space' });

    expect(await (await cp.call('GET', '/keyvaluemaps/settings/entries/region')).json()).toMatchObject({ key: 'region', value: 'eu-central' });
    const slashed = await cp.call('GET', '/keyvaluemaps/settings/entries/a%2Fb%20%C3%BC');
    expect(await slashed.json()).toMatchObject({ key: 'a/b ü', value: 'slash and space' });

    const page = await (await cp.call('GET', '/keyvaluemaps/settings/entries?limit=1')).json();
    expect(page.items.map((e: { key: string }) => e.key)).toEqual(['a/b ü']);
    expect(page.nextCursor).not.toBeNull();

    // The API's map of the same name is another map.
    expect((await cp.call('GET', '/keyvaluemaps/settings/entries/region?api=weather')).status).toBe(404);

    expect((await cp.call('DELETE', '/keyvaluemaps/settings/entries/region')).status).toBe(204);
    const gone = await cp.call('GET', '/keyvaluemaps/settings/entries/region');
    expect(gone.status).toBe(404);
    expect((await gone.json()).code).toBe('kvm.entry_not_found');
  });

  it('refuses keys over 2 KB and values over 10 KB with clear 400s', async () => {
    const longKey = await cp.call('PUT', `/keyvaluemaps/settings/entries/${'k'.repeat(2049)}`, { value: 'v' });
    expect(longKey.status).toBe(400);
    const keyProblem = await longKey.json();
    expect(keyProblem.code).toBe('kvm.key_too_long');
    expect(keyProblem.detail).toContain('2048 bytes');
    // Multi-byte characters count in bytes: 683 × 3 bytes = 2049.
    expect((await cp.call('PUT', `/keyvaluemaps/settings/entries/${encodeURIComponent('€'.repeat(683))}`, { value: 'v' })).status).toBe(400);
    expect((await cp.call('PUT', `/keyvaluemaps/settings/entries/${'k'.repeat(2048)}`, { value: 'v' })).status).toBe(201);

    const longValue = await cp.call('PUT', '/keyvaluemaps/settings/entries/big', { value: 'v'.repeat(10241) });
    expect(longValue.status).toBe(400);
    expect((await longValue.json()).code).toBe('kvm.value_too_long');
    expect((await cp.call('PUT', '/keyvaluemaps/settings/entries/big', { value: 'v'.repeat(10240) })).status).toBe(201);
  });

  it('writes audit events for entries without their values', async () => {
    await cp.call('PUT', '/keyvaluemaps/settings/entries/audited', { value: 'value-never-audited' });
    const events = await (await cp.call('GET', '/audit?resourceType=kvm')).json();
    const text = JSON.stringify(events);
    expect(text).toContain('kvm.entry.create');
    expect(text).not.toContain('value-never-audited');
  });
});

describe('encrypted maps', () => {
  it('stores values encrypted at rest and answers *** on every read', async () => {
    expect((await cp.call('POST', '/keyvaluemaps', { name: 'secrets', encrypted: true })).status).toBe(201);
    const put = await cp.call('PUT', '/keyvaluemaps/secrets/entries/apikey', { value: 'top-secret-value' });
    expect(put.status).toBe(201);
    expect((await put.json()).value).toBe('***');
    expect((await (await cp.call('GET', '/keyvaluemaps/secrets/entries/apikey')).json()).value).toBe('***');
    expect((await (await cp.call('GET', '/keyvaluemaps/secrets/entries')).json()).items).toEqual([expect.objectContaining({ key: 'apikey', value: '***' })]);

    const rows = await cp.store.db.selectFrom('key_value_entries').select(['key', 'value']).where('key', '=', 'apikey').execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]?.value).not.toContain('top-secret-value');
    expect(rows[0]?.value.startsWith('v1:')).toBe(true);
    expect(JSON.stringify(await (await cp.call('GET', '/audit?resourceType=kvm')).json())).not.toContain('top-secret-value');
  });

  it('lets a viewer see the map but not its entries; an API editor reads them masked', async () => {
    expect((await cp.call('GET', '/keyvaluemaps/secrets', undefined, { token: tokens.viewer })).status).toBe(200);
    for (const path of ['/keyvaluemaps/secrets/entries', '/keyvaluemaps/secrets/entries/apikey']) {
      const denied = await cp.call('GET', path, undefined, { token: tokens.viewer });
      expect(denied.status, path).toBe(403);
      expect((await denied.json()).code).toBe('auth.forbidden');
    }
    expect((await (await cp.call('GET', '/keyvaluemaps/secrets/entries/apikey', undefined, { token: tokens['api-editor'] })).json()).value).toBe('***');
    // Entries of unencrypted maps stay readable by viewers.
    expect((await cp.call('GET', '/keyvaluemaps/settings/entries', undefined, { token: tokens.viewer })).status).toBe(200);
  });

  it('without a server secret, creating an encrypted map is 422 kvm.encryption_unavailable', async () => {
    const bare = await startControlPlane({ secretKey: null });
    try {
      const refused = await bare.call('POST', '/keyvaluemaps', { name: 'secrets', encrypted: true });
      expect(refused.status).toBe(422);
      const problem = await refused.json();
      expect(problem.code).toBe('kvm.encryption_unavailable');
      expect(problem.detail).toContain('GATEHOUSE_SECRET_KEY');
      expect((await bare.call('POST', '/keyvaluemaps', { name: 'plain' })).status).toBe(201);
    } finally {
      await bare.close();
    }
    expect(TEST_SECRET_KEY.length).toBeGreaterThanOrEqual(32);
  });
});

describe('deleting', () => {
  it('DELETE removes a map with its entries', async () => {
    expect((await cp.call('DELETE', '/keyvaluemaps/settings')).status).toBe(204);
    expect((await cp.call('GET', '/keyvaluemaps/settings')).status).toBe(404);
    expect((await cp.call('GET', '/keyvaluemaps/settings?api=weather')).status).toBe(200);
  });

  it("deleting an API deletes its maps (as Apigee does with proxy-scoped maps)", async () => {
    await cp.call('PUT', '/keyvaluemaps/settings/entries/k?api=weather', { value: 'v' });
    expect((await cp.call('DELETE', '/apis/weather')).status).toBe(204);
    expect((await cp.call('GET', '/keyvaluemaps/settings?api=weather')).status).toBe(404);
    expect((await (await cp.call('GET', '/keyvaluemaps?api=weather')).json()).items).toEqual([]);
  });
});
