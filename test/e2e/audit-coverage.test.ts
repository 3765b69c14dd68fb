// The audit log records every change: each route of the management API that changes something leaves exactly one
// event saying who, when (the injected clock) and what, and no secret it handled ever reaches the log.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startControlPlane, type ControlPlane } from '../helpers/control-plane.ts';

let cp: ControlPlane;
beforeAll(async () => {
  cp = await startControlPlane();
});
afterAll(async () => {
  await cp.close();
});

const DEV = '/developers/dana@example.com';
const APP = `${DEV}/apps/weather-app`;
const IMPORTED_SECRET = 'imported-secret-0123456789';
const USER_PASSWORD = 'correct horse battery staple';
const ENTRY_VALUE = 'entry-value-not-for-the-log';

interface Change {
  method: string;
  path: string;
  body?: unknown;
  action: string;
  resource: string;
}

// Every changing route of the role matrix (test/e2e/role-matrix.test.ts), in an order that works; the path may
// depend on what an earlier change answered (the generated client id, the token id).
const generated: { clientId?: string; clientSecret?: string; tokenId?: string; token?: string } = {};
const CHANGES: Array<Change | (() => Change)> = [
  { method: 'POST', path: '/apis', body: { name: 'weather', basePath: '/weather' }, action: 'api.create', resource: 'weather' },
  { method: 'PUT', path: '/apis/weather', body: { name: 'weather', basePath: '/weather', description: 'v2' }, action: 'api.update', resource: 'weather' },
  { method: 'POST', path: '/apis/weather/revisions/2/deployment', action: 'api.deploy', resource: 'weather' },
  { method: 'DELETE', path: '/apis/weather/deployment', action: 'api.undeploy', resource: 'weather' },
  { method: 'POST', path: '/products', body: { name: 'weather', apis: ['weather'] }, action: 'product.create', resource: 'weather' },
  { method: 'PUT', path: '/products/weather', body: { name: 'weather', apis: ['weather'], description: 'v2' }, action: 'product.update', resource: 'weather' },
  { method: 'POST', path: '/keyvaluemaps', body: { name: 'settings' }, action: 'kvm.create', resource: 'settings' },
  { method: 'PUT', path: '/keyvaluemaps/settings', body: { name: 'settings', description: 'v2' }, action: 'kvm.update', resource: 'settings' },
  { method: 'PUT', path: '/keyvaluemaps/settings/entries/region', body: { value: ENTRY_VALUE }, action: 'kvm.entry.create', resource: 'settings' },
  { method: 'DELETE', path: '/keyvaluemaps/settings/entries/region', action: 'kvm.entry.delete', resource: 'settings' },
  { method: 'DELETE', path: '/keyvaluemaps/settings', action: 'kvm.delete', resource: 'settings' },
  { method: 'POST', path: '/developers', body: { email: 'dana@example.com', firstName: 'Dana', lastName: 'Developer' }, action: 'developer.create', resource: 'dana@example.com' },
  { method: 'PUT', path: DEV, body: { email: 'dana@example.com', firstName: 'Dana', lastName: 'Dev' }, action: 'developer.update', resource: 'dana@example.com' },
  { method: 'POST', path: `${DEV}/deactivate`, action: 'developer.deactivate', resource: 'dana@example.com' },
  { method: 'POST', path: `${DEV}/activate`, action: 'developer.activate', resource: 'dana@example.com' },
  { method: 'POST', path: `${DEV}/apps`, body: { name: 'weather-app', products: ['weather'] }, action: 'app.create', resource: 'dana@example.com/weather-app' },
  { method: 'PUT', path: APP, body: { name: 'weather-app', products: ['weather'], callbackUrls: ['https://app.example.com/cb'] }, action: 'app.update', resource: 'dana@example.com/weather-app' },
  { method: 'POST', path: `${APP}/revoke`, action: 'app.revoke', resource: 'dana@example.com/weather-app' },
  { method: 'POST', path: `${APP}/approve`, action: 'app.approve', resource: 'dana@example.com/weather-app' },
  { method: 'POST', path: `${APP}/credentials`, body: { clientId: 'imported-client-0001', clientSecret: IMPORTED_SECRET }, action: 'credential.create', resource: 'dana@example.com/weather-app' },
  { method: 'POST', path: `${APP}/credentials`, action: 'credential.create', resource: 'dana@example.com/weather-app' },
  () => ({ method: 'POST', path: `${APP}/credentials/${generated.clientId}/regenerate`, action: 'credential.regenerate', resource: 'dana@example.com/weather-app' }),
  { method: 'POST', path: `${APP}/credentials/imported-client-0001/revoke`, action: 'credential.revoke', resource: 'dana@example.com/weather-app' },
  { method: 'POST', path: `${APP}/credentials/imported-client-0001/approve`, action: 'credential.approve', resource: 'dana@example.com/weather-app' },
  { method: 'POST', path: `${APP}/credentials/imported-client-0001/products/weather/revoke`, action: 'credential.product.revoke', resource: 'dana@example.com/weather-app' },
  { method: 'POST', path: `${APP}/credentials/imported-client-0001/products/weather/approve`, action: 'credential.product.approve', resource: 'dana@example.com/weather-app' },
  { method: 'DELETE', path: `${APP}/credentials/imported-client-0001`, action: 'credential.delete', resource: 'dana@example.com/weather-app' },
  { method: 'DELETE', path: APP, action: 'app.delete', resource: 'dana@example.com/weather-app' },
  { method: 'DELETE', path: DEV, action: 'developer.delete', resource: 'dana@example.com' },
  { method: 'DELETE', path: '/products/weather', action: 'product.delete', resource: 'weather' },
  { method: 'DELETE', path: '/apis/weather', action: 'api.delete', resource: 'weather' },
  { method: 'POST', path: '/users', body: { email: 'eve@example.com', roles: ['viewer'], password: USER_PASSWORD }, action: 'user.create', resource: 'eve@example.com' },
  { method: 'PUT', path: '/users/eve@example.com', body: { roles: ['api-editor'] }, action: 'user.update', resource: 'eve@example.com' },
  { method: 'DELETE', path: '/users/eve@example.com', action: 'user.delete', resource: 'eve@example.com' },
  { method: 'POST', path: '/tokens', body: { name: 'ci' }, action: 'token.create', resource: 'admin@gatehouse.local' },
  () => ({ method: 'DELETE', path: `/tokens/${generated.tokenId}`, action: 'token.delete', resource: 'admin@gatehouse.local' }),
];

async function newestEvents(count: number): Promise<Array<Record<string, any>>> {
  return (await (await cp.call('GET', `/audit?limit=${count}`)).json()).items;
}

describe('the audit log', () => {
  it('gets one event per change, naming the actor, the time, the action and the resource', async () => {
    for (const entry of CHANGES) {
      const change = typeof entry === 'function' ? entry() : entry;
      const before = (await newestEvents(1))[0]?.id;
      cp.clock.advance(1000);
      const res = await cp.call(change.method, change.path, change.body);
      expect(res.status, `${change.method} ${change.path}: ${await res.clone().text()}`).toBeLessThan(300);
      const answer = res.status === 204 ? undefined : await res.json();
      if (answer?.credentials?.[0]?.clientSecret) generated.clientId = answer.credentials[0].clientId;
      if (answer?.clientSecret) Object.assign(generated, { clientId: answer.clientId, clientSecret: answer.clientSecret });
      if (answer?.token) Object.assign(generated, { tokenId: answer.id, token: answer.token });
      const events = await newestEvents(5);
      const added = events.slice(0, events.findIndex((e) => e.id === before));
      expect(added.map((e) => e.action), `${change.method} ${change.path}`).toEqual([change.action]);
      expect(added[0]).toMatchObject({ actor: 'admin@gatehouse.local', resource: change.resource, at: new Date(cp.clock.now()).toISOString() });
    }
  });

  it('holds none of the secrets those changes handled', async () => {
    expect(generated.clientSecret && generated.token).toBeTruthy();
    const log = JSON.stringify(await (await cp.call('GET', '/audit?limit=500')).json());
    for (const secret of [IMPORTED_SECRET, USER_PASSWORD, ENTRY_VALUE, generated.clientSecret as string, generated.token as string]) {
      expect(log).not.toContain(secret);
    }
  });
});
