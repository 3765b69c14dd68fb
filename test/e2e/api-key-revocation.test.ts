// API keys stop at once on this node when their credential, app, product subscription or developer is revoked, and
// work again once restored: the gateway's key cache is dropped on change, never on a timer. Real sockets.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGatehouse, type Gatehouse } from '../helpers/gatehouse.ts';
import { startTextUpstream, type Upstream } from '../helpers/gateway-upstreams.ts';

const KEY = 'key-client-0001';
const DEV = '/developers/dana@example.com';
const APP = `${DEV}/apps/keyed-app`;
const CREDENTIAL = `${APP}/credentials/${KEY}`;

let gh: Gatehouse;
let target: Upstream;

beforeAll(async () => {
  gh = await startGatehouse();
  target = await startTextUpstream('ok');
  const api = { name: 'keyed', basePath: '/keyed', target: { url: target.url }, preFlow: { request: [{ policy: 'verify-api-key' }] } };
  expect((await gh.manage('POST', '/apis', api)).status).toBe(201);
  expect((await gh.manage('POST', '/apis/keyed/revisions/1/deployment')).status).toBe(200);
  expect((await gh.manage('POST', '/products', { name: 'keyed', apis: ['keyed'] })).status).toBe(201);
  expect((await gh.manage('POST', '/developers', { email: 'dana@example.com', firstName: 'Dana', lastName: 'Developer' })).status).toBe(201);
  const app = await gh.manage('POST', `${DEV}/apps`, { name: 'keyed-app', products: ['keyed'], credentials: [{ clientId: KEY, clientSecret: 'key-secret-0123456789' }] });
  expect(app.status).toBe(201);
});
afterAll(async () => {
  await gh?.close();
  await target?.close();
});

async function call(): Promise<{ status: number; code?: string }> {
  const res = await fetch(`${gh.gateway}/keyed/x?apikey=${KEY}`);
  const text = await res.text();
  return res.status === 200 ? { status: 200 } : { status: res.status, code: (JSON.parse(text) as { code: string }).code };
}

async function change(method: string, path: string): Promise<void> {
  const res = await gh.manage(method, path);
  expect(res.status, `${method} ${path}`).toBeLessThan(300);
}

describe('a cached API key', () => {
  it.each([
    ['its credential is revoked', `${CREDENTIAL}/revoke`, `${CREDENTIAL}/approve`, 'verify-api-key.not_approved'],
    ['its app is revoked', `${APP}/revoke`, `${APP}/approve`, 'verify-api-key.not_approved'],
    ['its developer is deactivated', `${DEV}/deactivate`, `${DEV}/activate`, 'verify-api-key.not_approved'],
    ['its product subscription is revoked', `${CREDENTIAL}/products/keyed/revoke`, `${CREDENTIAL}/products/keyed/approve`, 'verify-api-key.no_product_match'],
  ])('stops at once when %s, and works again once restored', async (_what, revoke, restore, code) => {
    expect(await call()).toEqual({ status: 200 }); // the key is now cached
    await change('POST', revoke);
    expect(await call()).toEqual({ status: 401, code });
    await change('POST', restore);
    expect(await call()).toEqual({ status: 200 });
  });

  it('stops at once when its credential is deleted', async () => {
    expect(await call()).toEqual({ status: 200 });
    await change('DELETE', CREDENTIAL);
    expect(await call()).toEqual({ status: 401, code: 'verify-api-key.invalid' });
  });
});
