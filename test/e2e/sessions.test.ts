// Console sessions on the admin port: sign-in, the HttpOnly cookie, CSRF on changes, expiry, sign-out, and the
// console itself served at `/` with its security headers.
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../../src/manage/context.ts';
import { SESSION_LIFETIME_MS, signIn } from '../../src/manage/sessions.ts';
import { createPersonalToken, createUser, deletePersonalToken, updateUser } from '../../src/manage/users.ts';
import type { Role } from '../../src/model/user.ts';
import { startControlPlane, type ControlPlane } from '../helpers/control-plane.ts';

const PASSWORD = 'correct horse battery staple';

let cp: ControlPlane;

/** The status line's code for a request line sent exactly as written. */
function rawStatus(origin: string, path: string): Promise<number> {
  const { hostname, port } = new URL(origin);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.end(`GET ${path} HTTP/1.1\r\nHost: ${hostname}\r\nConnection: close\r\n\r\n`));
    let text = '';
    socket.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
    socket.on('end', () => resolve(Number(text.split(' ')[1])));
    socket.on('error', reject);
  });
}

beforeAll(async () => {
  cp = await startControlPlane();
});

afterAll(async () => {
  await cp?.close();
});

async function newUser(email: string, roles: Role[]): Promise<void> {
  await createUser(cp.deps, SYSTEM_ACTOR, { email, roles, password: PASSWORD });
}

interface Browserish {
  cookie: string;
  csrfToken: string;
  setCookie: string;
}

async function signInAs(email: string, password = PASSWORD): Promise<Response> {
  return fetch(`${cp.url}/api/v1/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });
}

async function session(email: string): Promise<Browserish> {
  const response = await signInAs(email);
  expect(response.status).toBe(200);
  const setCookie = response.headers.get('set-cookie') ?? '';
  const body = (await response.json()) as { csrfToken: string };
  return { cookie: setCookie.split(';')[0] ?? '', csrfToken: body.csrfToken, setCookie };
}

function withCookie(s: Browserish, method: string, path: string, body?: unknown, csrf = true) {
  return cp.call(method, path, body, { token: null, headers: { cookie: s.cookie, ...(csrf ? { 'x-csrf-token': s.csrfToken } : {}) } });
}

describe('console sessions', () => {
  it('says nobody is signed in when there is no cookie', async () => {
    const response = await cp.call('GET', '/session', undefined, { token: null });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ user: null });
  });

  it('refuses a wrong password and an unknown email with the same answer', async () => {
    await newUser('erin@example.com', ['api-editor']);
    const wrong = await signInAs('erin@example.com', 'not the password at all');
    const unknown = await signInAs('nobody@example.com');
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    const [a, b] = [(await wrong.json()) as any, (await unknown.json()) as any];
    expect(a.code).toBe('auth.invalid_credentials');
    expect(b.code).toBe('auth.invalid_credentials');
    expect(a.detail).toBe(b.detail);
    expect(wrong.headers.get('set-cookie')).toBeNull();
  });

  it('signs in with an HttpOnly, SameSite=Strict cookie that works on the management API', async () => {
    await newUser('fay@example.com', ['admin']);
    const s = await session('fay@example.com');
    expect(s.setCookie).toMatch(/^gatehouse_console=ghs_[\w-]{43}; Path=\/; HttpOnly; SameSite=Strict$/);
    expect(s.csrfToken).toMatch(/^[\w-]{43}$/);

    const me = await withCookie(s, 'GET', '/me');
    expect(me.status).toBe(200);
    expect((await me.json()).email).toBe('fay@example.com');
    const who = await withCookie(s, 'GET', '/session');
    expect(await who.json()).toEqual({ user: { email: 'fay@example.com', displayName: null, roles: ['admin'] }, csrfToken: s.csrfToken });
  });

  it('needs the CSRF token for a change made with the cookie, and not for a read', async () => {
    await newUser('gil@example.com', ['api-editor']);
    const s = await session('gil@example.com');
    const product = { name: 'csrf-product', displayName: 'CSRF product', apis: [] };

    const without = await withCookie(s, 'POST', '/products', product, false);
    expect(without.status).toBe(403);
    expect((await without.json()).code).toBe('auth.csrf_failed');
    const wrong = await cp.call('POST', '/products', product, { token: null, headers: { cookie: s.cookie, 'x-csrf-token': 'x'.repeat(43) } });
    expect(wrong.status).toBe(403);
    expect((await cp.call('GET', '/products/csrf-product')).status).toBe(404);

    const created = await withCookie(s, 'POST', '/products', product);
    expect(created.status).toBe(201);
    expect((await withCookie(s, 'GET', '/products/csrf-product', undefined, false)).status).toBe(200);
    const audit = await cp.call('GET', '/audit?resourceType=product');
    expect((await audit.json()).items.some((e: any) => e.resource === 'csrf-product' && e.actor === 'gil@example.com')).toBe(true);
  });

  it('keeps role checks: a viewer signed in may read but not change', async () => {
    await newUser('hal@example.com', ['viewer']);
    const s = await session('hal@example.com');
    expect((await withCookie(s, 'GET', '/apis')).status).toBe(200);
    const change = await withCookie(s, 'POST', '/products', { name: 'nope', displayName: 'Nope', apis: [] });
    expect(change.status).toBe(403);
    expect((await change.json()).code).toBe('auth.forbidden');
  });

  it('signs in with a personal access token instead of a password (the first admin has only a token)', async () => {
    const byToken = await fetch(`${cp.url}/api/v1/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token: cp.adminToken }) });
    expect(byToken.status).toBe(200);
    expect(((await byToken.json()) as any).user).toEqual({ email: 'admin@gatehouse.local', displayName: 'Bootstrap admin', roles: ['admin'] });
    expect(byToken.headers.get('set-cookie')).toMatch(/^gatehouse_console=ghs_/);

    const wrong = await fetch(`${cp.url}/api/v1/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token: 'ghp_not-a-token-0123456789' }) });
    expect(wrong.status).toBe(401);
    expect(((await wrong.json()) as any).code).toBe('auth.invalid_credentials');
    const both = await fetch(`${cp.url}/api/v1/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token: cp.adminToken, email: 'x@y.z' }) });
    expect(both.status).toBe(400);
  });

  it('ends a session opened with a personal access token when the token is deleted', async () => {
    await newUser('pat@example.com', ['admin']);
    const actor = { name: 'pat@example.com', userId: (await cp.deps.store.users.getByEmail('pat@example.com'))!.id, roles: ['admin'] as Role[] };
    const created = await createPersonalToken(cp.deps, actor, { name: 'laptop', expiresInDays: 1 });
    const signIn = await fetch(`${cp.url}/api/v1/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token: created.token }) });
    expect(signIn.status).toBe(200);
    const s = { cookie: (signIn.headers.get('set-cookie') ?? '').split(';')[0] ?? '', csrfToken: ((await signIn.json()) as any).csrfToken, setCookie: '' };
    expect((await withCookie(s, 'GET', '/me')).status).toBe(200);

    await deletePersonalToken(cp.deps, actor, created.id);
    const after = await withCookie(s, 'GET', '/me');
    expect(after.status).toBe(401);
    expect(((await after.json()) as any).code).toBe('auth.session_ended');
  });

  it('refuses sign-in for 15 minutes after five failures for one account, even with the right password', async () => {
    await newUser('guess@example.com', ['admin']);
    for (let i = 0; i < 5; i++) expect((await signInAs('guess@example.com', `wrong password ${i}`)).status).toBe(401);
    const blocked = await signInAs('guess@example.com');
    expect(blocked.status).toBe(429);
    expect(blocked.headers.get('retry-after')).toBe('900');
    expect(((await blocked.json()) as any).code).toBe('auth.too_many_attempts');
    cp.clock.advance(15 * 60 * 1000);
    expect((await signInAs('guess@example.com')).status).toBe(200);
  });

  it('refuses a developer-only account at sign-in, pointing to the developer hub', async () => {
    await newUser('ivy@example.com', ['developer']);
    const response = await signInAs('ivy@example.com');
    expect(response.status).toBe(403);
    const body = (await response.json()) as any;
    expect(body.code).toBe('auth.forbidden');
    expect(body.detail).toContain('Developers sign in on the developer hub');
    expect(response.headers.get('set-cookie')).toBeNull();
  });

  it('ends the session at sign-out: the old cookie then gets a clear 401', async () => {
    await newUser('jo@example.com', ['admin']);
    const s = await session('jo@example.com');
    const out = await withCookie(s, 'DELETE', '/session');
    expect(out.status).toBe(204);
    expect(out.headers.get('set-cookie')).toContain('Max-Age=0');
    const after = await withCookie(s, 'GET', '/me');
    expect(after.status).toBe(401);
    expect((await after.json()).code).toBe('auth.session_ended');
    expect(await (await withCookie(s, 'GET', '/session')).json()).toEqual({ user: null });
  });

  it('ends sessions after 12 hours, on a password change and on deactivation', async () => {
    await newUser('kim@example.com', ['admin']);
    const expiring = await session('kim@example.com');
    cp.clock.advance(SESSION_LIFETIME_MS - 1);
    expect((await withCookie(expiring, 'GET', '/me')).status).toBe(200);
    cp.clock.advance(1);
    expect((await withCookie(expiring, 'GET', '/me')).status).toBe(401);

    const beforeChange = await session('kim@example.com');
    await updateUser(cp.deps, SYSTEM_ACTOR, 'kim@example.com', { password: 'a brand new password 123' });
    expect((await withCookie(beforeChange, 'GET', '/me')).status).toBe(401);

    await newUser('lee@example.com', ['viewer']);
    const beforeDeactivation = await session('lee@example.com');
    await updateUser(cp.deps, SYSTEM_ACTOR, 'lee@example.com', { status: 'inactive' });
    expect((await withCookie(beforeDeactivation, 'GET', '/me')).status).toBe(401);
    expect((await signInAs('lee@example.com')).status).toBe(401);
  });

  it('does not accept a developer hub session on the console', async () => {
    await newUser('max@example.com', ['admin']);
    const hub = await signIn(cp.deps, 'hub', 'max@example.com', PASSWORD);
    const response = await cp.call('GET', '/me', undefined, { token: null, headers: { cookie: `gatehouse_console=${hub.token}` } });
    expect(response.status).toBe(401);
    expect((await response.json()).code).toBe('auth.session_ended');
  });

  it('prefers a bearer token to the cookie, and needs no CSRF header with it', async () => {
    await newUser('ned@example.com', ['viewer']);
    const viewer = await session('ned@example.com');
    const response = await cp.call('POST', '/products', { name: 'bearer-wins', displayName: 'Bearer wins', apis: [] }, { headers: { cookie: viewer.cookie } });
    expect(response.status).toBe(201);
  });
});

describe('the console at /', () => {
  it('serves the app with a strict content security policy, and deep links too', async () => {
    for (const path of ['/', '/apis/weather', '/products']) {
      const response = await fetch(`${cp.url}${path}`);
      expect([200, 503], path).toContain(response.status);
      expect(response.headers.get('content-type')).toContain('text/html');
      expect(response.headers.get('content-security-policy')).toContain("script-src 'self'");
      expect(response.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(await response.text()).toContain('Gatehouse');
    }
  });

  it('answers JSON 404s under /api/ and for missing assets, never the app', async () => {
    const api = await fetch(`${cp.url}/api/v1/no-such-thing`);
    expect(api.status).toBe(404);
    expect(((await api.json()) as any).code).toBe('request.not_found');
    // Written on a raw socket: fetch would resolve the dot segments itself.
    for (const sneaky of ['/assets//etc/passwd', '/assets/../../../package.json', '/assets/..']) {
      expect(await rawStatus(cp.url, sneaky), sneaky).toBe(404);
    }
    const asset = await fetch(`${cp.url}/assets/missing-0000.js`);
    expect(asset.status).toBe(404);
    expect(asset.headers.get('content-type')).toContain('application/problem+json');
  });

  it('still serves the interactive API docs', async () => {
    const docs = await fetch(`${cp.url}/api/docs/`);
    expect(docs.status).toBe(200);
    expect(await docs.text()).toContain('swagger');
  });
});
