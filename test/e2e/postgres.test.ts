// The management API and apply on PostgreSQL: the same behaviour as on SQLite, over a real server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apply } from '../../src/declarative/apply.ts';
import { httpClient } from '../../src/declarative/client.ts';
import { parseDesiredState } from '../../src/declarative/file.ts';
import { startControlPlane, type ControlPlane } from '../helpers/control-plane.ts';
import { createTestDatabase, serviceAvailable } from '../helpers/services.ts';

describe.skipIf(!serviceAvailable('postgres'))('management API on PostgreSQL', () => {
  let cp: ControlPlane;
  let database: { url: string; drop(): Promise<void> };

  beforeAll(async () => {
    database = await createTestDatabase();
    cp = await startControlPlane({ databaseUrl: database.url });
  });
  afterAll(async () => {
    await cp?.close();
    await database?.drop();
  });

  it('applies the seed file, then finds nothing to change', async () => {
    const file = `
apis:
  - { name: token, basePath: /oauth/token, preFlow: { request: [ { policy: oauth-v2, config: { operation: GenerateAccessToken } } ] } }
  - { name: weather, basePath: /weather, target: { url: "http://127.0.0.1:9000" } }
products:
  - { name: weather, apis: [token, weather], published: true, approval: manual }
developers:
  - email: dana@example.com
    firstName: Dana
    lastName: Developer
    apps:
      - name: weather-app
        products: [weather]
        credentials: [ { clientId: weather-client-0001, clientSecret: weather-secret-0123456789 } ]
`;
    const client = httpClient(cp.url, cp.adminToken);
    expect((await apply(client, parseDesiredState(file, {}))).changed).toBe(true);
    expect((await apply(client, parseDesiredState(file, {}))).changed).toBe(false);
    const app = await (await cp.call('GET', '/developers/dana@example.com/apps/weather-app')).json();
    expect(app.credentials[0].products).toEqual([{ name: 'weather', status: 'pending' }]);
  });

  it('refuses a second deployment on a taken base path', async () => {
    await cp.call('POST', '/apis', { name: 'weather-2', basePath: '/weather' });
    const res = await cp.call('POST', '/apis/weather-2/revisions/1/deployment');
    expect(res.status).toBe(409);
    expect((await res.json()).code).toBe('api.base_path_conflict');
  });

  it('rolls back an app whose second credential clashes', async () => {
    const res = await cp.call('POST', '/developers/dana@example.com/apps', {
      name: 'clash',
      credentials: [
        { clientId: 'new-client-0001', clientSecret: 'new-secret-0123456789' },
        { clientId: 'weather-client-0001', clientSecret: 'other-secret-0123456789' },
      ],
    });
    expect(res.status).toBe(409);
    expect((await cp.call('GET', '/developers/dana@example.com/apps/clash')).status).toBe(404);
    expect((await cp.call('POST', '/developers/dana@example.com/apps', { name: 'clash', credentials: [{ clientId: 'new-client-0001', clientSecret: 'new-secret-0123456789' }] })).status).toBe(201);
  });

  it('lets only one of two concurrent writers with the same ETag win', async () => {
    const read = await cp.call('GET', '/products/weather');
    const etag = read.headers.get('etag') as string;
    const body = await read.json();
    const [a, b] = await Promise.all(
      ['first', 'second'].map((description) => cp.call('PUT', '/products/weather', { name: 'weather', apis: body.apis, description }, { headers: { 'if-match': etag } })),
    );
    expect([a?.status, b?.status].sort()).toEqual([200, 412]);
  });

  it('returns timestamps and numbers, not strings, from bigint columns', async () => {
    const api = await (await cp.call('GET', '/apis/token')).json();
    expect(api.revision).toBe(1);
    expect(api.createdAt).toBe('2026-01-01T00:00:00.000Z');
  });
});
