// Developers, apps and credentials: secrets shown once and stored hashed, subscriptions and their approval.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startControlPlane, type ControlPlane } from '../helpers/control-plane.ts';

let cp: ControlPlane;
const dana = { email: 'dana@example.com', firstName: 'Dana', lastName: 'Developer' };
const APPS = '/developers/dana@example.com/apps';

beforeAll(async () => {
  cp = await startControlPlane();
  await cp.call('POST', '/apis', { name: 'weather', basePath: '/weather' });
  await cp.call('POST', '/products', { name: 'weather', apis: ['weather'], scopes: ['read'] });
  await cp.call('POST', '/products', { name: 'premium', apis: ['weather'], approval: 'manual' });
  expect((await cp.call('POST', '/developers', dana)).status).toBe(201);
});
afterAll(async () => {
  await cp.close();
});

/** Every byte the SQLite store holds on disk: the database file and its write-ahead log. */
function storeBytes(): string {
  const dir = cp.dataDir as string;
  return readdirSync(dir)
    .filter((f) => f.startsWith('gatehouse.db'))
    .map((f) => readFileSync(join(dir, f)).toString('latin1'))
    .join('');
}

describe('developers', () => {
  it('creates a developer, active, with no apps', async () => {
    const body = await (await cp.call('GET', '/developers/dana@example.com')).json();
    expect(body).toMatchObject({ ...dana, status: 'active', apps: [] });
  });

  it('refuses a duplicate email and an email change through PUT', async () => {
    expect((await (await cp.call('POST', '/developers', dana)).json()).code).toBe('developer.exists');
    const res = await cp.call('PUT', '/developers/dana@example.com', { ...dana, email: 'other@example.com' });
    expect(res.status).toBe(400);
  });

  it('deactivates and activates a developer', async () => {
    expect((await (await cp.call('POST', '/developers/dana@example.com/deactivate')).json()).status).toBe('inactive');
    expect((await (await cp.call('POST', '/developers/dana@example.com/activate')).json()).status).toBe('active');
  });

  it('answers 412 to a stale If-Match on a developer', async () => {
    const res = await cp.call('GET', '/developers/dana@example.com');
    const etag = res.headers.get('etag') as string;
    expect((await cp.call('PUT', '/developers/dana@example.com', { ...dana, lastName: 'A' }, { headers: { 'if-match': etag } })).status).toBe(200);
    expect((await cp.call('PUT', '/developers/dana@example.com', { ...dana, lastName: 'B' }, { headers: { 'if-match': etag } })).status).toBe(412);
  });
});

describe('apps and credentials', () => {
  let generated: { clientId: string; clientSecret: string };

  it('creates an app with a generated credential whose secret appears only in that response', async () => {
    const res = await cp.call('POST', APPS, { name: 'weather-app', products: ['weather'], callbackUrls: ['https://app.example.com/cb'] });
    expect(res.status).toBe(201);
    const app = await res.json();
    expect(app).toMatchObject({ name: 'weather-app', developer: 'dana@example.com', status: 'approved' });
    expect(app.credentials).toHaveLength(1);
    generated = app.credentials[0];
    expect(generated.clientId).toMatch(/^[A-Za-z0-9]{32}$/);
    expect(Buffer.from(generated.clientSecret, 'base64url')).toHaveLength(32);
    expect(app.credentials[0].products).toEqual([{ name: 'weather', status: 'approved' }]);
    const again = await (await cp.call('GET', `${APPS}/weather-app`)).json();
    expect(again.credentials[0].clientSecret).toBeUndefined();
    expect(JSON.stringify(await (await cp.call('GET', APPS)).json())).not.toContain(generated.clientSecret);
  });

  it('stores only a hash of the secret: the database files do not contain it', () => {
    const bytes = storeBytes();
    expect(bytes).toContain(generated.clientId);
    expect(bytes).not.toContain(generated.clientSecret);
  });

  it('keeps secrets out of the audit log', async () => {
    const audit = JSON.stringify(await (await cp.call('GET', '/audit?limit=500')).json());
    expect(audit).toContain('app.create');
    expect(audit).not.toContain(generated.clientSecret);
  });

  it('checks a secret without revealing it', async () => {
    const path = `${APPS}/weather-app/credentials/${generated.clientId}/check-secret`;
    expect(await (await cp.call('POST', path, { clientSecret: generated.clientSecret })).json()).toEqual({ matches: true });
    expect(await (await cp.call('POST', path, { clientSecret: 'not-the-secret-at-all' })).json()).toEqual({ matches: false });
  });

  it('regenerates the secret: the client id stays, the new secret is shown once, the old one stops matching', async () => {
    const res = await cp.call('POST', `${APPS}/weather-app/credentials/${generated.clientId}/regenerate`);
    expect(res.status).toBe(200);
    const credential = await res.json();
    expect(credential.clientId).toBe(generated.clientId);
    expect(credential.clientSecret).not.toBe(generated.clientSecret);
    const path = `${APPS}/weather-app/credentials/${generated.clientId}/check-secret`;
    expect((await (await cp.call('POST', path, { clientSecret: generated.clientSecret })).json()).matches).toBe(false);
    expect((await (await cp.call('POST', path, { clientSecret: credential.clientSecret })).json()).matches).toBe(true);
    expect(storeBytes()).not.toContain(credential.clientSecret);
  });

  it('imports an existing client id and secret without echoing the secret', async () => {
    const res = await cp.call('POST', `${APPS}/weather-app/credentials`, { clientId: 'imported-client-0001', clientSecret: 'imported-secret-0123456789' });
    expect(res.status).toBe(201);
    const credential = await res.json();
    expect(credential).toMatchObject({ clientId: 'imported-client-0001', status: 'approved', products: [{ name: 'weather', status: 'approved' }] });
    expect(credential.clientSecret).toBeUndefined();
    expect(storeBytes()).not.toContain('imported-secret-0123456789');
  });

  it('refuses imported secrets shorter than 16 characters, saying why', async () => {
    const res = await cp.call('POST', `${APPS}/weather-app/credentials`, { clientId: 'imported-client-0002', clientSecret: 'short-secret' });
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.code).toBe('credential.secret_too_short');
    expect(body.detail).toBe('The client secret has 12 characters; imported secrets need at least 16.');
  });

  it('refuses a client id already used by any app', async () => {
    const res = await cp.call('POST', `${APPS}/weather-app/credentials`, { clientId: 'imported-client-0001', clientSecret: 'imported-secret-0123456789' });
    expect(res.status).toBe(409);
    expect((await res.json()).code).toBe('credential.exists');
  });

  it('refuses half an import (a client id without a secret)', async () => {
    expect((await cp.call('POST', `${APPS}/weather-app/credentials`, { clientId: 'imported-client-0003' })).status).toBe(400);
  });

  it('subscribes every credential to products added to the app; manual approval starts pending', async () => {
    const res = await cp.call('PUT', `${APPS}/weather-app`, { name: 'weather-app', products: ['weather', 'premium'], callbackUrls: ['https://app.example.com/cb'] });
    expect(res.status).toBe(200);
    const app = await res.json();
    for (const credential of app.credentials) {
      expect(credential.products).toEqual([
        { name: 'premium', status: 'pending' },
        { name: 'weather', status: 'approved' },
      ]);
    }
  });

  it('approves and revokes one product of one credential', async () => {
    const base = `${APPS}/weather-app/credentials/${generated.clientId}/products/premium`;
    expect((await (await cp.call('POST', `${base}/approve`)).json()).products).toContainEqual({ name: 'premium', status: 'approved' });
    expect((await (await cp.call('POST', `${base}/revoke`)).json()).products).toContainEqual({ name: 'premium', status: 'revoked' });
    const other = await (await cp.call('GET', `${APPS}/weather-app`)).json();
    expect(other.credentials.find((c: { clientId: string }) => c.clientId === 'imported-client-0001').products).toContainEqual({ name: 'premium', status: 'pending' });
  });

  it('keeps a product’s status when the app is saved again with it', async () => {
    const app = await (await cp.call('PUT', `${APPS}/weather-app`, { name: 'weather-app', products: ['premium', 'weather'] })).json();
    const credential = app.credentials.find((c: { clientId: string }) => c.clientId === generated.clientId);
    expect(credential.products).toContainEqual({ name: 'premium', status: 'revoked' });
  });

  it('revokes and approves a credential, and an app', async () => {
    const base = `${APPS}/weather-app/credentials/${generated.clientId}`;
    expect((await (await cp.call('POST', `${base}/revoke`)).json()).status).toBe('revoked');
    expect((await (await cp.call('POST', `${base}/approve`)).json()).status).toBe('approved');
    expect((await (await cp.call('POST', `${APPS}/weather-app/revoke`)).json()).status).toBe('revoked');
    expect((await (await cp.call('POST', `${APPS}/weather-app/approve`)).json()).status).toBe('approved');
  });

  it('refuses products that do not exist, naming them', async () => {
    const res = await cp.call('POST', APPS, { name: 'other-app', products: ['nope', 'weather', 'nada'] });
    expect(res.status).toBe(422);
    const body = await res.json();
    expect(body.code).toBe('app.unknown_product');
    expect(body.products).toEqual(['nope', 'nada']);
  });

  it('writes an app with its credentials all or nothing', async () => {
    const res = await cp.call('POST', APPS, {
      name: 'half-app',
      products: ['weather'],
      credentials: [
        { clientId: 'fresh-client-0001', clientSecret: 'fresh-secret-0123456789' },
        { clientId: 'imported-client-0001', clientSecret: 'dup-secret-0123456789' },
      ],
    });
    expect(res.status).toBe(409);
    expect((await cp.call('GET', `${APPS}/half-app`)).status).toBe(404);
    const created = await cp.call('POST', `${APPS}/weather-app/credentials`, { clientId: 'fresh-client-0001', clientSecret: 'fresh-secret-0123456789' });
    expect(created.status).toBe(201);
  });

  it('refuses to delete a product that apps hold, naming them', async () => {
    const res = await cp.call('DELETE', '/products/weather');
    expect(res.status).toBe(409);
    expect((await res.json()).apps).toEqual(['dana@example.com/weather-app']);
  });

  it('deletes a credential, then the app, then the developer', async () => {
    expect((await cp.call('DELETE', `${APPS}/weather-app/credentials/imported-client-0001`)).status).toBe(204);
    expect((await cp.call('DELETE', `${APPS}/weather-app/credentials/imported-client-0001`)).status).toBe(404);
    expect((await cp.call('POST', APPS, { name: 'second-app' })).status).toBe(201);
    expect((await cp.call('DELETE', `${APPS}/weather-app`)).status).toBe(204);
    expect((await (await cp.call('GET', '/developers/dana@example.com')).json()).apps).toEqual(['second-app']);
    expect((await cp.call('DELETE', '/developers/dana@example.com')).status).toBe(204);
    expect((await cp.call('GET', `${APPS}/second-app`)).status).toBe(404);
    expect((await cp.call('DELETE', '/products/weather')).status).toBe(204);
  });
});

describe('products', () => {
  it('refuses a product that lists unknown APIs, naming them', async () => {
    const res = await cp.call('POST', '/products', { name: 'broken', apis: ['weather', { name: 'ghost', resources: [{ path: '/**', methods: ['GET'] }] }] });
    expect(res.status).toBe(422);
    const body = await res.json();
    expect(body.code).toBe('product.unknown_api');
    expect(body.detail).toBe("Product 'broken' lists 'ghost', which is not an API.");
  });

  it('stores APIs narrowed to resource paths and methods as written', async () => {
    const spec = { name: 'narrow', apis: [{ name: 'weather', resources: [{ path: '/forecast/**', methods: ['GET'] }] }], quota: { limit: 100, timeUnit: 'minute' } };
    expect((await cp.call('POST', '/products', spec)).status).toBe(201);
    expect(await (await cp.call('GET', '/products/narrow')).json()).toMatchObject(spec);
  });

  it('stops the second of two admins editing the same product with 412', async () => {
    const read = await cp.call('GET', '/products/narrow');
    const etag = read.headers.get('etag') as string;
    const base = await read.json();
    const first = await cp.call('PUT', '/products/narrow', { name: 'narrow', apis: base.apis, description: 'first' }, { headers: { 'if-match': etag } });
    expect(first.status).toBe(200);
    const second = await cp.call('PUT', '/products/narrow', { name: 'narrow', apis: base.apis, description: 'second' }, { headers: { 'if-match': etag } });
    expect(second.status).toBe(412);
    expect((await (await cp.call('GET', '/products/narrow')).json()).description).toBe('first');
  });
});
