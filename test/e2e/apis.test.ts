// The /apis resource: revisions, deployments and their conflicts, over a real socket.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startControlPlane, type ControlPlane } from '../helpers/control-plane.ts';

let cp: ControlPlane;
beforeAll(async () => {
  cp = await startControlPlane();
});
afterAll(async () => {
  await cp.close();
});

const token = {
  name: 'token',
  basePath: '/oauth/token',
  preFlow: { request: [{ policy: 'oauth-v2', config: { operation: 'GenerateAccessToken', supportedGrantTypes: ['client_credentials'] } }] },
};

describe('APIs', () => {
  it('creates an API as revision 1 with a Location and an ETag', async () => {
    const res = await cp.call('POST', '/apis', token);
    expect(res.status).toBe(201);
    expect(res.headers.get('location')).toBe('/api/v1/apis/token');
    expect(res.headers.get('etag')).toBe('"1"');
    const body = await res.json();
    expect(body).toMatchObject({ ...token, revision: 1, latestRevision: 1, deployedRevision: null });
  });

  it('refuses a second API with the same name', async () => {
    const res = await cp.call('POST', '/apis', token);
    expect(res.status).toBe(409);
    expect((await res.json()).code).toBe('api.exists');
  });

  it('saves each changed PUT as a new immutable revision and keeps the old ones', async () => {
    const changed = { ...token, description: 'Issues tokens' };
    const put = await cp.call('PUT', '/apis/token', changed);
    expect(put.status).toBe(200);
    expect((await put.json()).revision).toBe(2);
    const first = await (await cp.call('GET', '/apis/token/revisions/1')).json();
    expect(first.spec.description).toBeUndefined();
    const list = await (await cp.call('GET', '/apis/token/revisions')).json();
    expect(list.items.map((r: { revision: number }) => r.revision)).toEqual([1, 2]);
  });

  it('saves nothing for a PUT identical to the latest revision', async () => {
    const res = await cp.call('PUT', '/apis/token', { ...token, description: 'Issues tokens' });
    expect(res.status).toBe(200);
    expect((await res.json()).revision).toBe(2);
  });

  it('refuses to rename an API through PUT', async () => {
    const res = await cp.call('PUT', '/apis/token', { ...token, name: 'other' });
    expect(res.status).toBe(400);
    expect((await res.json()).errors).toEqual([{ path: '/name', message: "must be 'token'" }]);
  });

  it('answers 412 to a PUT whose If-Match names an older revision, and accepts the current one', async () => {
    const stale = await cp.call('PUT', '/apis/token', { ...token, description: 'x' }, { headers: { 'if-match': '"1"' } });
    expect(stale.status).toBe(412);
    expect((await stale.json()).code).toBe('request.precondition_failed');
    const fresh = await cp.call('PUT', '/apis/token', { ...token, description: 'x' }, { headers: { 'if-match': '"2"' } });
    expect(fresh.status).toBe(200);
    expect(fresh.headers.get('etag')).toBe('"3"');
  });

  it('deploys a revision, reports it, and redeploys another', async () => {
    const deploy = await cp.call('POST', '/apis/token/revisions/2/deployment');
    expect(deploy.status).toBe(200);
    expect(await deploy.json()).toMatchObject({ api: 'token', revision: 2, basePath: '/oauth/token', deployedBy: 'admin@gatehouse.local' });
    expect((await (await cp.call('GET', '/apis/token')).json()).deployedRevision).toBe(2);
    await cp.call('POST', '/apis/token/revisions/3/deployment');
    expect((await (await cp.call('GET', '/apis/token/deployment')).json()).revision).toBe(3);
    const revisions = await (await cp.call('GET', '/apis/token/revisions')).json();
    expect(revisions.items.filter((r: { deployed: boolean }) => r.deployed).map((r: { revision: number }) => r.revision)).toEqual([3]);
  });

  it('refuses to deploy a second API on a base path that is already served', async () => {
    await cp.call('POST', '/apis', { name: 'token-copy', basePath: '/oauth/token' });
    const res = await cp.call('POST', '/apis/token-copy/revisions/1/deployment');
    expect(res.status).toBe(409);
    const body = await res.json();
    expect(body.code).toBe('api.base_path_conflict');
    expect(body.detail).toBe("Base path '/oauth/token' is already served by API 'token'.");
  });

  it('answers 404 for a revision that does not exist, naming the range', async () => {
    const res = await cp.call('POST', '/apis/token/revisions/9/deployment');
    expect(res.status).toBe(404);
    expect((await res.json()).detail).toContain('its revisions are 1 to 3');
  });

  it('refuses to delete a deployed API, and deletes it once undeployed', async () => {
    const refused = await cp.call('DELETE', '/apis/token');
    expect(refused.status).toBe(409);
    expect((await refused.json()).code).toBe('api.deployed');
    expect((await cp.call('DELETE', '/apis/token/deployment')).status).toBe(204);
    expect((await cp.call('DELETE', '/apis/token/deployment')).status).toBe(409);
    expect((await cp.call('DELETE', '/apis/token')).status).toBe(204);
    expect((await cp.call('GET', '/apis/token')).status).toBe(404);
  });

  it('refuses to delete an API that a product lists, naming the product', async () => {
    await cp.call('POST', '/apis', { name: 'listed', basePath: '/listed' });
    await cp.call('POST', '/products', { name: 'bundle', apis: ['listed'] });
    const res = await cp.call('DELETE', '/apis/listed');
    expect(res.status).toBe(409);
    const body = await res.json();
    expect(body.code).toBe('api.in_use');
    expect(body.products).toEqual(['bundle']);
  });

  it('pages through the list with limit and cursor', async () => {
    for (const n of [1, 2, 3, 4, 5]) await cp.call('POST', '/apis', { name: `paged-${n}`, basePath: `/paged/${n}` });
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: { items: Array<{ name: string }>; nextCursor: string | null } = await (
        await cp.call('GET', `/apis?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`)
      ).json();
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((a) => a.name));
      cursor = page.nextCursor;
      pages++;
    } while (cursor && pages < 20);
    expect(seen).toEqual([...seen].sort());
    expect(seen.filter((n) => n.startsWith('paged-'))).toEqual(['paged-1', 'paged-2', 'paged-3', 'paged-4', 'paged-5']);
    expect(new Set(seen).size).toBe(seen.length);
  });
});
