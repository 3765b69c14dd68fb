// Users, roles, personal access tokens and the audit log.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startControlPlane, type ControlPlane } from '../helpers/control-plane.ts';

let cp: ControlPlane;
beforeAll(async () => {
  cp = await startControlPlane();
});
afterAll(async () => {
  await cp.close();
});

async function tokenFor(email: string, roles: string[]): Promise<string> {
  expect((await cp.call('POST', '/users', { email, roles, password: 'a-long-password-1' })).status).toBe(201);
  // Users make their own tokens with POST /tokens; the test mints one for them through the manage layer.
  const { createPersonalToken } = await import('../../src/manage/users.ts');
  const user = await cp.store.users.getByEmail(email);
  const made = await createPersonalToken(cp.deps, { name: email, userId: user?.id ?? null, roles: user?.roles ?? [] }, { name: 'test' });
  return made.token as string;
}

describe('users', () => {
  it('creates a user without ever returning the password or its hash', async () => {
    const res = await cp.call('POST', '/users', { email: 'eve@example.com', roles: ['viewer'], password: 'correct horse battery' });
    expect(res.status).toBe(201);
    const text = await res.text();
    expect(text).not.toContain('correct horse');
    expect(text).not.toContain('scrypt');
    expect(JSON.parse(text)).toMatchObject({ email: 'eve@example.com', roles: ['viewer'], status: 'active', hasPassword: true });
  });

  it('refuses short passwords and unknown roles', async () => {
    expect((await cp.call('POST', '/users', { email: 'x@example.com', roles: [], password: 'short' })).status).toBe(400);
    const body = await (await cp.call('POST', '/users', { email: 'x@example.com', roles: ['superuser'] })).json();
    expect(body.errors[0]).toMatchObject({ path: '/roles/0' });
  });

  it('changes roles and status, keeping what the body leaves out', async () => {
    const body = await (await cp.call('PUT', '/users/eve@example.com', { roles: ['api-editor'] })).json();
    expect(body).toMatchObject({ roles: ['api-editor'], status: 'active', hasPassword: true });
  });

  it('refuses to leave Gatehouse without an active admin', async () => {
    const demote = await cp.call('PUT', '/users/admin@gatehouse.local', { roles: ['viewer'] });
    expect(demote.status).toBe(409);
    expect((await demote.json()).code).toBe('user.last_admin');
    expect((await cp.call('DELETE', '/users/admin@gatehouse.local')).status).toBe(409);
  });

  it('stops a deactivated user’s tokens at once', async () => {
    const token = await tokenFor('temp@example.com', ['viewer']);
    expect((await cp.call('GET', '/apis', undefined, { token })).status).toBe(200);
    await cp.call('PUT', '/users/temp@example.com', { status: 'inactive' });
    const res = await cp.call('GET', '/apis', undefined, { token });
    expect(res.status).toBe(401);
    expect((await res.json()).code).toBe('auth.invalid_token');
  });
});

describe('personal access tokens', () => {
  it('creates a token shown once, lists it without the secret, and deletes it', async () => {
    const created = await (await cp.call('POST', '/tokens', { name: 'ci', expiresInDays: 30 })).json();
    expect(created.token).toMatch(/^ghp_/);
    expect(created.expiresAt).toBe(new Date(cp.clock.now() + 30 * 86_400_000).toISOString());
    expect((await cp.call('GET', '/me', undefined, { token: created.token })).status).toBe(200);
    const list = await (await cp.call('GET', '/tokens')).json();
    expect(list.items.map((t: { name: string }) => t.name)).toContain('ci');
    expect(JSON.stringify(list)).not.toContain(created.token);
    expect((await cp.call('DELETE', `/tokens/${created.id}`)).status).toBe(204);
    expect((await cp.call('GET', '/me', undefined, { token: created.token })).status).toBe(401);
  });

  it('refuses a token once it has expired', async () => {
    const created = await (await cp.call('POST', '/tokens', { name: 'short-lived', expiresInDays: 1 })).json();
    expect((await cp.call('GET', '/me', undefined, { token: created.token })).status).toBe(200);
    cp.clock.advance(86_400_000);
    const res = await cp.call('GET', '/me', undefined, { token: created.token });
    expect(res.status).toBe(401);
    expect((await res.json()).detail).toContain("'short-lived' expired");
  });

  it('says who a token belongs to', async () => {
    const token = await tokenFor('dev@example.com', ['developer']);
    expect(await (await cp.call('GET', '/me', undefined, { token })).json()).toEqual({ email: 'dev@example.com', roles: ['developer'], system: false });
  });

  it('does not let one user delete another user’s token', async () => {
    const mine = await (await cp.call('POST', '/tokens', { name: 'mine' })).json();
    const other = await tokenFor('mallory@example.com', ['viewer']);
    expect((await cp.call('DELETE', `/tokens/${mine.id}`, undefined, { token: other })).status).toBe(404);
    expect((await cp.call('GET', '/me', undefined, { token: mine.token })).status).toBe(200);
  });
});

describe('audit log', () => {
  it('records who changed what, newest first, and filters by resource and actor', async () => {
    const editor = await tokenFor('editor@example.com', ['api-editor']);
    await cp.call('POST', '/apis', { name: 'audited', basePath: '/audited' }, { token: editor });
    await cp.call('POST', '/apis/audited/revisions/1/deployment', undefined, { token: editor });
    const page = await (await cp.call('GET', '/audit?resourceType=api&resource=audited')).json();
    expect(page.items.map((e: { action: string }) => e.action)).toEqual(['api.deploy', 'api.create']);
    expect(page.items[0]).toMatchObject({ actor: 'editor@example.com', resourceType: 'api', resource: 'audited', details: { revision: 1, basePath: '/audited' } });
    const byActor = await (await cp.call('GET', '/audit?actor=editor@example.com')).json();
    expect(byActor.items.every((e: { actor: string }) => e.actor === 'editor@example.com')).toBe(true);
  });

  it('filters by time and pages with a cursor', async () => {
    const before = new Date(cp.clock.now()).toISOString();
    cp.clock.advance(60_000);
    await cp.call('POST', '/apis', { name: 'later-1', basePath: '/later/1' });
    await cp.call('POST', '/apis', { name: 'later-2', basePath: '/later/2' });
    await cp.call('POST', '/apis', { name: 'later-3', basePath: '/later/3' });
    const since = new Date(cp.clock.now()).toISOString();
    const first = await (await cp.call('GET', `/audit?since=${since}&limit=2`)).json();
    expect(first.items.map((e: { resource: string }) => e.resource)).toEqual(['later-3', 'later-2']);
    const second = await (await cp.call('GET', `/audit?since=${since}&limit=2&cursor=${first.nextCursor}`)).json();
    expect(second.items.map((e: { resource: string }) => e.resource)).toEqual(['later-1']);
    expect(second.nextCursor).toBeNull();
    const old = await (await cp.call('GET', `/audit?until=${before}&resourceType=api`)).json();
    expect(old.items.map((e: { resource: string }) => e.resource)).not.toContain('later-1');
  });

  it('refuses a date it cannot read', async () => {
    expect((await cp.call('GET', '/audit?since=2026-99-99')).status).toBe(400);
  });
});
