// The whole role matrix of the management API: every route × every role (and no token), allowed or denied, over HTTP.
// The expectation table below is the product's access policy, written out by hand on purpose: it does not read
// ACCESS from src/, so a route whose access changes (or a new route nobody decided on) fails here.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { SYSTEM_ACTOR, type ManageDeps } from '../../src/manage/context.ts';
import { createPersonalToken, createUser } from '../../src/manage/users.ts';
import type { Role } from '../../src/model/user.ts';
import { startControlPlane, type ControlPlane } from '../helpers/control-plane.ts';

/** Roles that may call a route; `authenticated` = any signed-in user (even one with no roles); `public` = no token. */
type Allowed = readonly Role[] | 'authenticated' | 'public';

const READ: Allowed = ['admin', 'api-editor', 'viewer'];
const EDIT_APIS: Allowed = ['admin', 'api-editor'];
const ADMIN_ONLY: Allowed = ['admin'];
const AUDIT: Allowed = ['admin', 'viewer'];
const SELF: Allowed = 'authenticated';
const PUBLIC: Allowed = 'public';

/** Route (method + URL as Fastify registers it) → who may call it. The product decision, not the code's. */
const POLICY: Record<string, Allowed> = {
  // APIs, revisions, deployments: read = admin, api-editor, viewer; write = admin, api-editor.
  'GET /api/v1/apis': READ,
  'POST /api/v1/apis': EDIT_APIS,
  'GET /api/v1/apis/:name': READ,
  'PUT /api/v1/apis/:name': EDIT_APIS,
  'DELETE /api/v1/apis/:name': EDIT_APIS,
  'GET /api/v1/apis/:name/revisions': READ,
  'GET /api/v1/apis/:name/revisions/:rev': READ,
  'POST /api/v1/apis/:name/revisions/:rev/deployment': EDIT_APIS,
  'GET /api/v1/apis/:name/deployment': READ,
  'DELETE /api/v1/apis/:name/deployment': EDIT_APIS,

  // Products: like APIs.
  'GET /api/v1/products': READ,
  'POST /api/v1/products': EDIT_APIS,
  'GET /api/v1/products/:name': READ,
  'PUT /api/v1/products/:name': EDIT_APIS,
  'DELETE /api/v1/products/:name': EDIT_APIS,

  // Key value maps: like APIs. (Entries of an encrypted map are further narrowed to admin and api-editor inside the
  // route, per map; test/e2e/key-value-maps.test.ts covers that. Here the map does not exist, so the route answers 404.)
  'GET /api/v1/keyvaluemaps': READ,
  'POST /api/v1/keyvaluemaps': EDIT_APIS,
  'GET /api/v1/keyvaluemaps/:name': READ,
  'PUT /api/v1/keyvaluemaps/:name': EDIT_APIS,
  'DELETE /api/v1/keyvaluemaps/:name': EDIT_APIS,
  'GET /api/v1/keyvaluemaps/:name/entries': READ,
  'GET /api/v1/keyvaluemaps/:name/entries/:key': READ,
  'PUT /api/v1/keyvaluemaps/:name/entries/:key': EDIT_APIS,
  'DELETE /api/v1/keyvaluemaps/:name/entries/:key': EDIT_APIS,

  // Developers: read = admin, api-editor, viewer; any write or action = admin.
  'GET /api/v1/developers': READ,
  'POST /api/v1/developers': ADMIN_ONLY,
  'GET /api/v1/developers/:email': READ,
  'PUT /api/v1/developers/:email': ADMIN_ONLY,
  'DELETE /api/v1/developers/:email': ADMIN_ONLY,
  'POST /api/v1/developers/:email/activate': ADMIN_ONLY,
  'POST /api/v1/developers/:email/deactivate': ADMIN_ONLY,

  // Apps: like developers.
  'GET /api/v1/developers/:email/apps': READ,
  'POST /api/v1/developers/:email/apps': ADMIN_ONLY,
  'GET /api/v1/developers/:email/apps/:name': READ,
  'PUT /api/v1/developers/:email/apps/:name': ADMIN_ONLY,
  'DELETE /api/v1/developers/:email/apps/:name': ADMIN_ONLY,
  'POST /api/v1/developers/:email/apps/:name/approve': ADMIN_ONLY,
  'POST /api/v1/developers/:email/apps/:name/revoke': ADMIN_ONLY,

  // Credentials: every route is a write or an action = admin.
  'POST /api/v1/developers/:email/apps/:name/credentials': ADMIN_ONLY,
  'DELETE /api/v1/developers/:email/apps/:name/credentials/:clientId': ADMIN_ONLY,
  'POST /api/v1/developers/:email/apps/:name/credentials/:clientId/regenerate': ADMIN_ONLY,
  'POST /api/v1/developers/:email/apps/:name/credentials/:clientId/check-secret': ADMIN_ONLY,
  'POST /api/v1/developers/:email/apps/:name/credentials/:clientId/approve': ADMIN_ONLY,
  'POST /api/v1/developers/:email/apps/:name/credentials/:clientId/revoke': ADMIN_ONLY,
  'POST /api/v1/developers/:email/apps/:name/credentials/:clientId/products/:product/approve': ADMIN_ONLY,
  'POST /api/v1/developers/:email/apps/:name/credentials/:clientId/products/:product/revoke': ADMIN_ONLY,

  // Users: admin only, read and write.
  'GET /api/v1/users': ADMIN_ONLY,
  'POST /api/v1/users': ADMIN_ONLY,
  'GET /api/v1/users/:email': ADMIN_ONLY,
  'PUT /api/v1/users/:email': ADMIN_ONLY,
  'DELETE /api/v1/users/:email': ADMIN_ONLY,

  // Audit: admins and auditors.
  'GET /api/v1/audit': AUDIT,

  // JWT signing keys: anyone who reads may see them (no private part is shown); rotating is the admin's business.
  'GET /api/v1/oauth/signing-keys': READ,
  'POST /api/v1/oauth/signing-keys/rotation': ADMIN_ONLY,
  // A login page of your own answers authorization requests for the users it signs in: an admin's token, on its server.
  'POST /api/v1/oauth/consents': ADMIN_ONLY,

  // What the console reads besides resources: the policy catalogue and traffic like any other read; the condition
  // check with the people who write conditions. (The check is a POST only because a condition may be long.)
  'GET /api/v1/policies': READ,
  'GET /api/v1/policies/:name': READ,
  'POST /api/v1/conditions/check': EDIT_APIS,
  'GET /api/v1/analytics/traffic': READ,

  // The caller's own account and tokens: anyone signed in.
  'GET /api/v1/me': SELF,
  'GET /api/v1/tokens': SELF,
  'POST /api/v1/tokens': SELF,
  'DELETE /api/v1/tokens/:id': SELF,

  // Public.
  'GET /api/v1/openapi.json': PUBLIC,
  // Console sign-in, sign-out and "who am I": public by nature (test/e2e/sessions.test.ts covers what they do).
  'GET /api/v1/session': PUBLIC,
  'POST /api/v1/session': PUBLIC,
  'DELETE /api/v1/session': PUBLIC,
  'GET /healthz': PUBLIC,
  'GET /readyz': PUBLIC,
};

/**
 * Path parameters: plausible values that name nothing the test relies on. The matrix's own users are never named,
 * so an allowed DELETE /users/:email or DELETE /tokens/:id cannot remove them (or the tokens the later cases use).
 */
const PARAMS: Record<string, string> = {
  name: 'weather',
  email: 'dana@example.com',
  clientId: 'abcdefgh12345678',
  rev: '1',
  product: 'weather',
  id: 'nonexistent',
  key: 'nonexistent',
};

type Caller = 'no token' | 'no roles' | Role;
const CALLERS: readonly Caller[] = ['no token', 'admin', 'api-editor', 'viewer', 'developer', 'no roles'];

/** The matrix's users: one per role, plus one with no roles. */
const USERS: Record<Exclude<Caller, 'no token'>, { email: string; roles: Role[] }> = {
  admin: { email: 'matrix-admin@example.com', roles: ['admin'] },
  'api-editor': { email: 'matrix-editor@example.com', roles: ['api-editor'] },
  viewer: { email: 'matrix-viewer@example.com', roles: ['viewer'] },
  developer: { email: 'matrix-developer@example.com', roles: ['developer'] },
  'no roles': { email: 'matrix-nobody@example.com', roles: [] },
};

type Expected = 'allowed' | 'missing_token' | 'forbidden';

function expectedFor(allowed: Allowed, caller: Caller): Expected {
  if (allowed === 'public') return 'allowed';
  if (caller === 'no token') return 'missing_token';
  if (allowed === 'authenticated') return 'allowed';
  return caller !== 'no roles' && allowed.includes(caller) ? 'allowed' : 'forbidden';
}

function fillPath(url: string): string {
  return url.replace(/:([A-Za-z]+)/g, (_match, param: string) => {
    const value = PARAMS[param];
    if (value === undefined) throw new Error(`No test value for path parameter ':${param}' in ${url}; add one to PARAMS.`);
    return encodeURIComponent(value);
  });
}

/** Method + URL of every route in `app.printRoutes({ commonPrefix: false })`'s tree (segments joined along the path). */
function parseRouteTree(tree: string): string[] {
  const routes: string[] = [];
  const stack: string[] = [];
  for (const line of tree.split('\n')) {
    const match = /^((?:│ {3}| {4})*)[├└]── (.+?)(?: \(([A-Z, ]+)\))?$/u.exec(line);
    if (!match) continue;
    const depth = (match[1] ?? '').length / 4;
    const path = (depth === 0 ? '' : (stack[depth - 1] ?? '')) + (match[2] ?? '');
    stack[depth] = path;
    stack.length = depth + 1;
    const methods = (match[3] ?? '').split(',').map((m) => m.trim()).filter((m) => m !== '');
    for (const method of methods) {
      // Fastify adds HEAD beside every GET (exposeHeadRoutes); only a HEAD without a GET would be a route of ours.
      if (method === 'HEAD' && methods.includes('GET')) continue;
      routes.push(`${method} ${path}`);
    }
  }
  return routes;
}

function inScope(route: string): boolean {
  const path = route.slice(route.indexOf(' ') + 1);
  return path.startsWith('/api/v1/') || path === '/healthz' || path === '/readyz';
}

async function tokenFor(deps: ManageDeps, email: string, roles: Role[], status: 'active' | 'inactive' = 'active', expiresInDays?: number): Promise<string> {
  const { view } = await createUser(deps, SYSTEM_ACTOR, { email, roles, status });
  const actor = { name: view.email, userId: view.id, roles: view.roles };
  const created = await createPersonalToken(deps, actor, { name: 'role-matrix', ...(expiresInDays === undefined ? {} : { expiresInDays }) });
  if (!created.token) throw new Error(`no token secret for ${email}`);
  return created.token;
}

let cp: ControlPlane;
const tokens = new Map<Caller, string | null>();

beforeAll(async () => {
  cp = await startControlPlane();
  tokens.set('no token', null);
  for (const [caller, user] of Object.entries(USERS) as [Exclude<Caller, 'no token'>, { email: string; roles: Role[] }][]) {
    tokens.set(caller, await tokenFor(cp.deps, user.email, user.roles));
  }
});

afterAll(async () => {
  await cp?.close();
});

async function request(route: string, token: string | null): Promise<{ status: number; body: any; text: string }> {
  const space = route.indexOf(' ');
  const method = route.slice(0, space);
  const path = fillPath(route.slice(space + 1));
  // Write routes get a JSON body; the access decision comes before validation, so `{}` is enough.
  const body = method === 'POST' || method === 'PUT' ? {} : undefined;
  const response = await cp.call(method, path, body, { token });
  const text = await response.text();
  let parsed: any;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  return { status: response.status, body: parsed, text };
}

describe('the routes the server registers', () => {
  test('are exactly the routes in the expectation table', () => {
    const registered = new Set(parseRouteTree(cp.app.printRoutes({ commonPrefix: false })).filter(inScope));
    expect(registered.size, 'no routes parsed from printRoutes; has its format changed?').toBeGreaterThan(0);
    const table = new Set(Object.keys(POLICY));
    const undecided = [...registered].filter((route) => !table.has(route)).sort();
    const gone = [...table].filter((route) => !registered.has(route)).sort();
    // undecided: registered, but nobody decided their access (add them to POLICY); gone: in POLICY, not registered.
    expect({ undecided, gone }, 'the registered routes and the expectation table differ').toEqual({ undecided: [], gone: [] });
  });

  test.each(Object.keys(POLICY))('%s is routable', (route) => {
    const space = route.indexOf(' ');
    const method = route.slice(0, space) as 'GET' | 'POST' | 'PUT' | 'DELETE';
    expect(cp.app.hasRoute({ method, url: route.slice(space + 1) }), `${route} is not registered`).toBe(true);
  });
});

const CASES = Object.entries(POLICY).flatMap(([route, allowed]) => CALLERS.map((caller) => ({ route, caller, expected: expectedFor(allowed, caller) })));

describe('the role matrix', () => {
  test.each(CASES)('$route as $caller: $expected', async ({ route, caller, expected }) => {
    const token = tokens.get(caller);
    if (token === undefined) throw new Error(`no token for ${caller}`);
    const { status, body, text } = await request(route, token);
    const seen = `${route} as ${caller} answered ${status}: ${text.slice(0, 300)}`;
    switch (expected) {
      case 'missing_token':
        expect(status, seen).toBe(401);
        expect(body?.code, seen).toBe('auth.missing_token');
        break;
      case 'forbidden':
        expect(status, seen).toBe(403);
        expect(body?.code, seen).toBe('auth.forbidden');
        break;
      case 'allowed':
        expect([401, 403], `${seen} (expected the caller to be let through)`).not.toContain(status);
        // The route itself answered (a 404 of its own, not "no such route"): the URL really reached it.
        expect(body?.code, `${seen} (the URL matched no route)`).not.toBe('request.not_found');
        break;
    }
  });
});

describe('tokens that do not check out', () => {
  test('an unknown token is 401 auth.invalid_token', async () => {
    const { status, body } = await request('GET /api/v1/apis', 'ghp_not-a-token-anyone-was-given-0123456789');
    expect(status).toBe(401);
    expect(body?.code).toBe('auth.invalid_token');
  });

  test('an unknown token is 401 even on a route for any signed-in user', async () => {
    const { status, body } = await request('GET /api/v1/me', 'ghp_not-a-token-anyone-was-given-0123456789');
    expect(status).toBe(401);
    expect(body?.code).toBe('auth.invalid_token');
  });

  test('an Authorization header that is not Bearer is 401 auth.missing_token', async () => {
    const response = await cp.call('GET', '/api/v1/apis', undefined, { token: null, headers: { authorization: 'Basic YWRtaW46YWRtaW4=' } });
    expect(response.status).toBe(401);
    expect((await response.json()).code).toBe('auth.missing_token');
  });

  test("an inactive user's token is 401, even for an admin and on /me", async () => {
    const token = await tokenFor(cp.deps, 'matrix-inactive@example.com', ['admin'], 'inactive');
    for (const route of ['GET /api/v1/me', 'GET /api/v1/apis', 'GET /api/v1/users']) {
      const { status, body, text } = await request(route, token);
      expect(status, `${route}: ${text}`).toBe(401);
      expect(body?.code, `${route}: ${text}`).toBe('auth.invalid_token');
    }
  });

  test('a user deactivated after their token was made is 401', async () => {
    const token = await tokenFor(cp.deps, 'matrix-deactivated@example.com', ['viewer']);
    expect((await request('GET /api/v1/apis', token)).status).toBe(200);
    const update = await cp.call('PUT', '/api/v1/users/matrix-deactivated%40example.com', { status: 'inactive' });
    expect(update.status).toBe(200);
    const { status, body } = await request('GET /api/v1/apis', token);
    expect(status).toBe(401);
    expect(body?.code).toBe('auth.invalid_token');
  });

  test('an expired token is 401', async () => {
    const token = await tokenFor(cp.deps, 'matrix-expiring@example.com', ['viewer'], 'active', 1);
    expect((await request('GET /api/v1/me', token)).status).toBe(200);
    cp.clock.advance(2 * 86_400_000);
    const { status, body } = await request('GET /api/v1/me', token);
    expect(status).toBe(401);
    expect(body?.code).toBe('auth.invalid_token');
  });
});
