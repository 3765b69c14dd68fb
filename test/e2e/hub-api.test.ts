// The developer hub's API on real sockets: sign-up in each mode, the session's account help, the catalogue, a
// developer's own apps (and nobody else's), tokens from the real gateway, the try-it console, Postman, traffic.
import newman from 'newman';
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWeatherService } from '../../examples/seed-walkthrough/weather-service.js';
import { applyFile, startGatehouse, type Gatehouse } from '../helpers/gatehouse.ts';
import { startEchoUpstream, startTextUpstream, untilTrue, type Upstream } from '../helpers/gateway-upstreams.ts';
import type { TestResponse } from '../helpers/control-plane.ts';

const PASSWORD = 'correct horse battery staple';
const BIG = 300 * 1024;

const FILE = `
apis:
  - name: token
    displayName: OAuth 2.0 token endpoint
    basePath: /oauth/token
    preFlow:
      request:
        - policy: oauth-v2
          config: { operation: GenerateAccessToken, supportedGrantTypes: [client_credentials], expiresIn: 3600000 }
  - name: weather
    displayName: Weather
    description: Current weather by city.
    basePath: /weather
    target: { url: "\${WEATHER_URL}" }
    preFlow:
      request:
        - policy: oauth-v2
          config: { operation: VerifyAccessToken }
    openapi:
      openapi: 3.0.3
      info: { title: Weather, version: "1" }
      paths:
        /data/2.5/weather:
          get:
            summary: Current weather in a city
            parameters: [{ name: q, in: query, required: true, schema: { type: string } }]
            responses: { "200": { description: The weather } }
  - name: echo
    basePath: /echo
    target: { url: "\${ECHO_URL}" }
  - name: big
    basePath: /big
    target: { url: "\${BIG_URL}" }
  - name: hidden
    basePath: /hidden
    target: { url: "\${ECHO_URL}" }
  - name: weather-admin
    basePath: /weather/admin
    target: { url: "\${ECHO_URL}" }
  - name: guarded
    basePath: /guarded
    target: { url: "\${ECHO_URL}" }
    preFlow:
      request:
        - policy: access-control
          config: { rules: [{ action: deny, addresses: [127.0.0.2/32] }] }
products:
  - name: weather
    displayName: Weather
    description: Current weather by city, with OAuth 2.0 client credentials.
    apis: [token, weather]
    published: true
  - name: tools
    apis: [token, echo, big]
    published: true
  - name: guarded
    apis: [guarded]
    published: true
  - name: reviewed
    displayName: Reviewed weather
    apis: [token, weather]
    approval: manual
    published: true
  - name: partners
    apis: [token, hidden]
    published: true
    visibility: private
  - name: draft
    apis: [token, weather]
developers:
  - email: dana@example.com
    firstName: Dana
    lastName: Developer
`;

/** A browser of the hub: its session cookie and CSRF token. */
interface Visitor {
  origin: string;
  cookie?: string;
  csrf?: string;
}

async function hub(visitor: Visitor, method: string, path: string, body?: unknown, options: { csrf?: boolean } = {}): Promise<TestResponse> {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (visitor.cookie) headers.cookie = visitor.cookie;
  if (visitor.csrf && options.csrf !== false && method !== 'GET') headers['x-csrf-token'] = visitor.csrf;
  return (await fetch(`${visitor.origin}/api/v1${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) })) as TestResponse;
}

/** Keeps the cookie and CSRF token a sign-up or sign-in answered with. */
async function keepSession(visitor: Visitor, response: TestResponse): Promise<any> {
  const body = await response.json();
  const cookie = response.headers.get('set-cookie');
  if (cookie) visitor.cookie = cookie.split(';')[0];
  if (typeof body.csrfToken === 'string') visitor.csrf = body.csrfToken;
  return body;
}

async function signUp(origin: string, email: string, displayName = 'Test Developer'): Promise<{ visitor: Visitor; response: TestResponse; body: any }> {
  const visitor: Visitor = { origin };
  const response = await hub(visitor, 'POST', '/signup', { email, password: PASSWORD, displayName });
  const body = response.status === 201 ? await keepSession(visitor, response) : await response.json();
  return { visitor, response, body };
}

async function signIn(origin: string, email: string): Promise<Visitor> {
  const visitor: Visitor = { origin };
  const response = await hub(visitor, 'POST', '/session', { email, password: PASSWORD });
  expect(response.status).toBe(200);
  await keepSession(visitor, response);
  return visitor;
}

async function json(response: TestResponse): Promise<{ status: number; body: any }> {
  return { status: response.status, body: await response.json() };
}

let gh: Gatehouse;
let weather: { url: string; close(): Promise<void> };
let echo: Upstream;
let big: Upstream;

beforeAll(async () => {
  weather = await startWeatherService(0);
  echo = await startEchoUpstream();
  big = await startTextUpstream('x'.repeat(BIG));
  gh = await startGatehouse();
  await applyFile(gh, FILE, { WEATHER_URL: weather.url, ECHO_URL: echo.url, BIG_URL: big.url });
});

afterAll(async () => {
  await gh?.close();
  await Promise.all([weather?.close(), echo?.close(), big?.close()]);
});

describe('sign-up (open)', () => {
  it('creates a developer account with a developer profile and signs it in with an HttpOnly, SameSite=Strict cookie', async () => {
    const { response, body, visitor } = await signUp(gh.hub, 'olga@example.com', 'Olga Open');
    expect(response.status).toBe(201);
    expect(response.headers.get('set-cookie')).toMatch(/^gatehouse_hub=ghs_[\w-]+; Path=\/; HttpOnly; SameSite=Strict$/);
    expect(body).toMatchObject({
      user: { email: 'olga@example.com', displayName: 'Olga Open', roles: ['developer'] },
      signup: 'open',
      developer: { email: 'olga@example.com', status: 'active' },
      canCreateApps: true,
    });
    expect(body.reason).toBeUndefined();
    const session = await json(await hub(visitor, 'GET', '/session'));
    expect(session.body).toEqual({ ...body, csrfToken: visitor.csrf });
    const profile = await json(await gh.manage('GET', '/developers/olga@example.com'));
    expect(profile.body).toMatchObject({ firstName: 'Olga', lastName: 'Open', status: 'active' });
  });

  it('refuses an email that has an account, saying to sign in instead', async () => {
    await signUp(gh.hub, 'twice@example.com');
    const again = await signUp(gh.hub, 'twice@example.com');
    expect(again.response.status).toBe(409);
    expect(again.body).toMatchObject({ code: 'user.exists', detail: 'An account with the email twice@example.com exists already. Sign in instead.' });
    expect(again.response.headers.get('set-cookie')).toBeNull();
  });

  it("never hands over a developer profile an administrator made (the email is not proven)", async () => {
    const taken = await signUp(gh.hub, 'dana@example.com');
    expect(taken.response.status).toBe(409);
    expect(taken.body.code).toBe('developer.exists');
    expect((await json(await gh.manage('GET', '/users/dana@example.com'))).status).toBe(404);
  });

  it('refuses a password shorter than 12 characters with the field named', async () => {
    const response = await hub({ origin: gh.hub }, 'POST', '/signup', { email: 'short@example.com', password: 'too-short', displayName: 'S' });
    const { status, body } = await json(response);
    expect(status).toBe(400);
    expect(body.code).toBe('request.invalid');
    expect(body.errors).toEqual([{ path: '/password', message: 'must NOT have fewer than 12 characters' }]);
  });

  it('refuses a NUL character in any field, and malformed JSON, with a clear 400 and no account made', async () => {
    const nul = await json(await hub({ origin: gh.hub }, 'POST', '/signup', { email: 'nul@example.com', password: PASSWORD, displayName: 'A\u0000B' }));
    expect(nul.status).toBe(400);
    expect(nul.body).toMatchObject({ code: 'request.invalid', detail: expect.stringContaining('NUL') });
    const malformed = await fetch(`${gh.hub}/api/v1/signup`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"email": ' });
    expect(malformed.status).toBe(400);
    expect(((await malformed.json()) as any).code).toBe('request.malformed_json');
    expect((await gh.manage('GET', '/users/nul@example.com')).status).toBe(404);
  });
});

describe('the session', () => {
  it('works signed out and tells the sign-up mode, so the app can offer "Sign up"', async () => {
    expect((await json(await hub({ origin: gh.hub }, 'GET', '/session'))).body).toEqual({ user: null, signup: 'open', developer: null, canCreateApps: false });
  });

  it('explains, for an account without the developer role, what is missing and where an admin adds it', async () => {
    expect((await gh.manage('POST', '/users', { email: 'vic@example.com', password: PASSWORD, roles: ['viewer'] })).status).toBe(201);
    const vic = await signIn(gh.hub, 'vic@example.com');
    const reason = 'Creating apps needs the developer role. Your account (vic@example.com) has the role viewer. Ask a Gatehouse administrator to add the developer role in the console under Users.';
    const session = await json(await hub(vic, 'GET', '/session'));
    expect(session.body).toMatchObject({ canCreateApps: false, developer: null, reason, reasonCode: 'hub.developer_role_required' });

    const create = await json(await hub(vic, 'POST', '/apps', { name: 'vics-app', products: ['weather'] }));
    expect(create.status).toBe(403);
    expect(create.body).toMatchObject({ code: 'hub.developer_role_required', detail: reason });
    expect((await json(await hub(vic, 'GET', '/apps'))).body.code).toBe('hub.developer_role_required');
  });

  it('names every role of an admin who lacks the developer role (the seed story)', async () => {
    await gh.manage('POST', '/users', { email: 'ada@example.com', password: PASSWORD, roles: ['admin', 'api-editor'] });
    const session = await json(await hub(await signIn(gh.hub, 'ada@example.com'), 'GET', '/session'));
    expect(session.body.reason).toContain('Your account (ada@example.com) has the roles admin, api-editor.');
  });

  it('makes the developer profile of an account with the developer role on first use', async () => {
    await gh.manage('POST', '/users', { email: 'del@example.com', displayName: 'Del Lazy', password: PASSWORD, roles: ['developer'] });
    const del = await signIn(gh.hub, 'del@example.com');
    expect((await json(await hub(del, 'GET', '/session'))).body).toMatchObject({ developer: null, canCreateApps: true });
    expect((await json(await hub(del, 'GET', '/apps'))).body).toEqual({ items: [] });
    expect((await json(await hub(del, 'GET', '/session'))).body.developer).toEqual({ email: 'del@example.com', status: 'active' });
    expect((await json(await gh.manage('GET', '/developers/del@example.com'))).body).toMatchObject({ firstName: 'Del', lastName: 'Lazy' });
  });

  it('lets an inactive developer read and delete apps but not create them, and says why', async () => {
    const { visitor: ivy } = await signUp(gh.hub, 'ivy@example.com');
    expect((await hub(ivy, 'POST', '/apps', { name: 'ivy-app', products: ['weather'] })).status).toBe(201);
    expect((await gh.manage('POST', '/developers/ivy@example.com/deactivate')).status).toBe(200);
    const session = await json(await hub(ivy, 'GET', '/session'));
    expect(session.body).toMatchObject({ canCreateApps: false, reasonCode: 'hub.developer_inactive', developer: { status: 'inactive' } });
    expect((await json(await hub(ivy, 'POST', '/apps', { name: 'ivy-two', products: ['weather'] }))).body.code).toBe('hub.developer_inactive');
    expect((await json(await hub(ivy, 'GET', '/apps'))).body.items.map((a: any) => a.name)).toEqual(['ivy-app']);
    expect((await hub(ivy, 'DELETE', '/apps/ivy-app')).status).toBe(204);
  });

  it('asks a visitor without a session to sign in before using the workspace', async () => {
    const { status, body } = await json(await hub({ origin: gh.hub }, 'GET', '/apps'));
    expect(status).toBe(401);
    expect(body.code).toBe('hub.sign_in_required');
  });

  it('refuses a change without the x-csrf-token header (403)', async () => {
    const { visitor } = await signUp(gh.hub, 'csrf@example.com');
    const { status, body } = await json(await hub(visitor, 'POST', '/apps', { name: 'no-csrf', products: ['weather'] }, { csrf: false }));
    expect(status).toBe(403);
    expect(body.code).toBe('auth.csrf_failed');
    expect((await json(await hub(visitor, 'GET', '/apps'))).body.items).toEqual([]);
  });
});

describe('the catalogue', () => {
  it('lists published public products to anybody, and hides private and unpublished ones', async () => {
    const { status, body } = await json(await hub({ origin: gh.hub }, 'GET', '/products'));
    expect(status).toBe(200);
    expect(body.items.map((p: any) => p.name)).toEqual(['guarded', 'reviewed', 'tools', 'weather']);
    expect(body.items.find((p: any) => p.name === 'weather')).toEqual({
      name: 'weather',
      displayName: 'Weather',
      description: 'Current weather by city, with OAuth 2.0 client credentials.',
      approval: 'auto',
      apis: [
        { name: 'token', displayName: 'OAuth 2.0 token endpoint', issuesTokens: true },
        { name: 'weather', displayName: 'Weather', issuesTokens: false },
      ],
    });
  });

  it("shows a product's APIs with base path, URL and OpenAPI document, and its token URL", async () => {
    const { body } = await json(await hub({ origin: gh.hub }, 'GET', '/products/weather'));
    expect(body.tokenEndpoints).toEqual([{ api: 'token', url: `${gh.gateway}/oauth/token`, grantTypes: ['client_credentials'], exact: true }]);
    const api = body.apis.find((a: any) => a.name === 'weather');
    expect(api).toMatchObject({ basePath: '/weather', url: `${gh.gateway}/weather`, deployed: true, issuesTokens: false, description: 'Current weather by city.' });
    expect(api.openapi.paths['/data/2.5/weather'].get.summary).toBe('Current weather in a city');
  });

  it('names the gateway by its public URL when one is configured (behind a load balancer, say)', async () => {
    const behind = await startGatehouse({ env: { GATEHOUSE_GATEWAY_PUBLIC_URL: 'https://api.example.com/' } });
    try {
      await applyFile(behind, FILE, { WEATHER_URL: weather.url, ECHO_URL: echo.url, BIG_URL: big.url });
      const { body } = await json(await hub({ origin: behind.hub }, 'GET', '/products/weather'));
      expect(body.tokenEndpoints[0].url).toBe('https://api.example.com/oauth/token');
      expect(body.apis.find((a: any) => a.name === 'weather').url).toBe('https://api.example.com/weather');
    } finally {
      await behind.close();
    }
  });

  it('answers 404 for a private, an unpublished and an unknown product alike', async () => {
    for (const name of ['partners', 'draft', 'nope']) {
      const { status, body } = await json(await hub({ origin: gh.hub }, 'GET', `/products/${name}`));
      expect(status).toBe(404);
      expect(body).toMatchObject({ code: 'product.not_found', detail: `The catalogue has no product named '${name}'.` });
    }
  });
});

describe('my apps', () => {
  let ann: Visitor;
  let bob: Visitor;
  let clientId: string;
  let clientSecret: string;

  beforeAll(async () => {
    ann = (await signUp(gh.hub, 'ann@example.com', 'Ann Example')).visitor;
    bob = (await signUp(gh.hub, 'bob@example.com', 'Bob Example')).visitor;
  });

  it('creates an app subscribed to a product and shows its client secret once, in full', async () => {
    const created = await hub(ann, 'POST', '/apps', { name: 'weather-app', displayName: 'Weather app', description: 'Mine', callbackUrls: ['https://ann.example.com/cb'], products: ['weather'] });
    expect(created.status).toBe(201);
    expect(created.headers.get('location')).toBe('/api/v1/apps/weather-app');
    const app = await created.json();
    expect(app).toMatchObject({ name: 'weather-app', displayName: 'Weather app', products: ['weather'], status: 'approved', callbackUrls: ['https://ann.example.com/cb'] });
    expect(app.credentials).toHaveLength(1);
    expect(app.credentials[0].products).toEqual([{ name: 'weather', status: 'approved' }]);
    clientId = app.credentials[0].clientId;
    clientSecret = app.credentials[0].clientSecret;
    expect(clientSecret).toMatch(/^[\w-]{40,}$/);
    expect(app).not.toHaveProperty('id');
    expect(app).not.toHaveProperty('attributes');
    expect(app.tokenUrl).toBe(`${gh.gateway}/oauth/token`);
    expect(app.apis).toEqual([
      { name: 'token', displayName: 'OAuth 2.0 token endpoint', basePath: '/oauth/token', url: `${gh.gateway}/oauth/token`, issuesTokens: true },
      { name: 'weather', displayName: 'Weather', basePath: '/weather', url: `${gh.gateway}/weather`, issuesTokens: false },
    ]);

    const again = (await json(await hub(ann, 'GET', '/apps/weather-app'))).body;
    expect(again.credentials[0].clientId).toBe(clientId);
    expect(again.credentials[0]).not.toHaveProperty('clientSecret');
    expect((await json(await hub(ann, 'GET', '/apps'))).body.items.map((a: any) => [a.name, 'clientSecret' in a.credentials[0]])).toEqual([['weather-app', false]]);
  });

  it('refuses products that are not in the catalogue, and a name already used', async () => {
    for (const product of ['partners', 'draft', 'nope']) {
      const { status, body } = await json(await hub(ann, 'POST', '/apps', { name: 'sneaky', products: [product] }));
      expect(status).toBe(422);
      expect(body).toMatchObject({ code: 'app.unknown_product', detail: `'${product}' is not a product of the catalogue.` });
    }
    expect((await json(await hub(ann, 'POST', '/apps', { name: 'weather-app', products: ['weather'] }))).body.code).toBe('app.exists');
    expect((await json(await hub(ann, 'POST', '/apps', { name: 'none', products: [] }))).body.code).toBe('request.invalid');
  });

  it('shows a manual-approval product as pending, and keeps the status of products it keeps', async () => {
    const changed = await hub(ann, 'PUT', '/apps/weather-app', { displayName: 'Weather app', description: 'Now reviewed too', products: ['weather', 'reviewed'] });
    expect(changed.status).toBe(200);
    const app = await changed.json();
    expect(app.description).toBe('Now reviewed too');
    expect(app.callbackUrls).toEqual([]);
    const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);
    expect([...app.credentials[0].products].sort(byName)).toEqual([
      { name: 'reviewed', status: 'pending' },
      { name: 'weather', status: 'approved' },
    ]);
    const conflict = await fetch(`${gh.hub}/api/v1/apps/weather-app`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', cookie: ann.cookie ?? '', 'x-csrf-token': ann.csrf ?? '', 'if-match': '"1"' },
      body: JSON.stringify({ products: ['weather'] }),
    });
    expect(conflict.status).toBe(412);
    expect((await hub(ann, 'PUT', '/apps/weather-app', { displayName: 'Weather app', products: ['weather'] })).status).toBe(200);
  });

  it('gets a token from the real gateway token API with the client id and secret, and the API lets it through', async () => {
    const { status, body } = await json(await hub(ann, 'POST', '/apps/weather-app/token', { clientId, clientSecret }));
    expect(status).toBe(200);
    expect(body.tokenUrl).toBe(`${gh.gateway}/oauth/token`);
    expect(body.status).toBe(200);
    expect(body.body).toMatchObject({ token_type: 'Bearer', expires_in: 3600 });
    const call = await fetch(`${gh.gateway}/weather/data/2.5/weather?q=Berlin`, { headers: { authorization: `Bearer ${body.body.access_token}` } });
    expect(call.status).toBe(200);
    expect(((await call.json()) as any).name).toBe('Berlin');
  });

  it("passes on the gateway's refusal of a wrong secret as data", async () => {
    const { status, body } = await json(await hub(ann, 'POST', '/apps/weather-app/token', { clientId, clientSecret: 'not-the-secret-at-all' }));
    expect(status).toBe(200);
    expect(body).toMatchObject({ status: 401, body: { error: 'invalid_client' } });
  });

  it('refuses a secret that is not valid Unicode with 400, not a crash', async () => {
    const { status, body } = await json(await hub(ann, 'POST', '/apps/weather-app/token', { clientId, clientSecret: 'abc\ud800def' }));
    expect(status).toBe(400);
    expect(body.code).toBe('request.invalid');
  });

  it('regenerates the secret: the new one is shown once and works, the old one stops at once', async () => {
    const { status, body } = await json(await hub(ann, 'POST', `/apps/weather-app/credentials/${clientId}/regenerate`));
    expect(status).toBe(200);
    expect(body.clientId).toBe(clientId);
    expect(body.clientSecret).not.toBe(clientSecret);
    const old = await json(await hub(ann, 'POST', '/apps/weather-app/token', { clientId, clientSecret }));
    expect(old.body.status).toBe(401);
    clientSecret = body.clientSecret;
    expect((await json(await hub(ann, 'POST', '/apps/weather-app/token', { clientId, clientSecret }))).body.status).toBe(200);
  });

  it('calls an API of the app through the gateway in the try-it console', async () => {
    const token = (await json(await hub(ann, 'POST', '/apps/weather-app/token', { clientId, clientSecret }))).body.body.access_token;
    const ok = await json(await hub(ann, 'POST', '/apps/weather-app/try', { method: 'GET', path: '/weather/data/2.5/weather?q=Berlin', headers: { authorization: `Bearer ${token}` } }));
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ url: `${gh.gateway}/weather/data/2.5/weather?q=Berlin`, status: 200, bodyEncoding: 'utf8', truncated: false });
    expect(JSON.parse(ok.body.body).name).toBe('Berlin');
    expect(ok.body.headers['content-type']).toBe('application/json');
    expect(typeof ok.body.durationMs).toBe('number');

    const refused = await json(await hub(ann, 'POST', '/apps/weather-app/try', { method: 'GET', path: '/weather/data/2.5/weather?q=Berlin' }));
    expect(refused.body.status).toBe(401);
    expect(refused.body.headers['www-authenticate']).toContain('Bearer');
  });

  it('reaches only the gateway, and there only the APIs of the app', async () => {
    for (const path of ['http://169.254.169.254/latest', '//evil.example/x', 'evil.example/x', '/weather\\..\\x']) {
      const { status, body } = await json(await hub(ann, 'POST', '/apps/weather-app/try', { method: 'GET', path }));
      expect(status, path).toBe(400);
      expect(body.code, path).toBe('request.invalid');
    }
    // /weather/admin lies under the app's /weather, but the gateway routes it to another API (the longest base path).
    for (const path of ['/echo', '/hidden/x', '/weather/../echo', '/weatherstation', '/weather/admin', '/weather/admin/users?all=1']) {
      const { status, body } = await json(await hub(ann, 'POST', '/apps/weather-app/try', { method: 'GET', path }));
      expect(status, path).toBe(400);
      expect(body.code, path).toBe('hub.try_path_refused');
      expect(body.basePaths, path).toEqual(['/oauth/token', '/weather']);
    }
  });

  it('sends the headers and body given, but sets Host and X-Forwarded-For itself', async () => {
    expect((await hub(ann, 'POST', '/apps', { name: 'tools-app', products: ['tools'] })).status).toBe(201);
    const { body } = await json(
      await hub(ann, 'POST', '/apps/tools-app/try', { method: 'POST', path: '/echo/things?x=1', headers: { 'x-custom': 'yes', host: 'evil.example', 'x-forwarded-for': '6.6.6.6', 'content-type': 'text/plain' }, body: 'hello' }),
    );
    const seen = JSON.parse(body.body);
    expect(seen).toMatchObject({ method: 'POST', url: '/things?x=1', body: 'hello' });
    expect(seen.headers['x-custom']).toBe('yes');
    expect(seen.headers.host).not.toBe('evil.example');
    expect(seen.headers['x-forwarded-for']).not.toContain('6.6.6.6');
  });

  it("makes the gateway's IP rules see the developer's address in try-it calls, not the hub's; nobody else can pose as the hub", async () => {
    expect((await hub(ann, 'POST', '/apps', { name: 'guarded-app', products: ['guarded'] })).status).toBe(201);
    /** A try-it call sent from a given loopback address (node:http can bind the local side; fetch cannot). */
    const tryFrom = (address: string) =>
      new Promise<number>((resolve, reject) => {
        const { hostname, port } = new URL(gh.hub);
        const payload = JSON.stringify({ method: 'GET', path: '/guarded/x' });
        const outgoing = httpRequest(
          { host: hostname, port, path: '/api/v1/apps/guarded-app/try', method: 'POST', localAddress: address, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload), cookie: ann.cookie ?? '', 'x-csrf-token': ann.csrf ?? '' } },
          (response) => {
            let text = '';
            response.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
            response.on('end', () => resolve((JSON.parse(text) as { status: number }).status));
          },
        );
        outgoing.on('error', reject);
        outgoing.end(payload);
      });
    expect(await tryFrom('127.0.0.2')).toBe(403);
    expect(await tryFrom('127.0.0.1')).toBe(200);
    // Straight to the gateway from 127.0.0.1: a forged X-Forwarded-For or relay header changes nothing.
    for (const headers of [{ 'x-forwarded-for': '127.0.0.2' }, { 'x-forwarded-for': '127.0.0.2', 'x-gatehouse-relay': 'guess' }] as Array<Record<string, string>>) {
      const direct = await fetch(`${gh.gateway}/guarded/x`, { headers });
      await direct.arrayBuffer();
      expect(direct.status).toBe(200);
    }
  });

  it('keeps at most 256 KB of an answer and says it cut it; refuses a body over 64 KB', async () => {
    const { body } = await json(await hub(ann, 'POST', '/apps/tools-app/try', { method: 'GET', path: '/big' }));
    expect(body).toMatchObject({ status: 200, truncated: true });
    expect(body.body).toHaveLength(256 * 1024);
    const tooBig = await json(await hub(ann, 'POST', '/apps/tools-app/try', { method: 'POST', path: '/echo', body: 'é'.repeat(40 * 1024) }));
    expect(tooBig.status).toBe(400);
    expect(tooBig.body.detail).toMatch(/at most 65536/);
  });

  it('downloads a Postman collection that newman runs against the real gateway', async () => {
    const response = await hub(ann, 'GET', '/apps/weather-app/postman-collection');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-disposition')).toBe('attachment; filename="weather-app.postman_collection.json"');
    const collection = await response.json();
    const variables = Object.fromEntries(collection.variable.map((v: any) => [v.key, v.value]));
    expect(variables).toMatchObject({ baseUrl: gh.gateway, tokenUrl: `${gh.gateway}/oauth/token`, clientId, clientSecret: '' });
    const summary = await new Promise<newman.NewmanRunSummary>((resolve, reject) => {
      newman.run({ collection, envVar: [{ key: 'clientSecret', value: clientSecret }], reporters: [] }, (error, result) => (error ? reject(error) : resolve(result)));
    });
    expect(summary.run.failures.map((f) => `${f.source?.name ?? '?'}: ${f.error.message}`)).toEqual([]);
    expect(summary.run.stats.assertions.total).toBe(2);
    expect(summary.run.stats.requests.total).toBe(3); // the token request, the weather API, and the script's token request
  });

  it("reports the app's own traffic with ISO timestamps", async () => {
    expect(await untilTrue(() => gh.analytics.records.filter((r) => r.app === 'weather-app' && r.api === 'weather').length >= 3)).toBe(true);
    const { status, body } = await json(await hub(ann, 'GET', '/apps/weather-app/traffic?bucket=1h'));
    expect(status).toBe(200);
    expect(body.bucketMs).toBe(3_600_000);
    expect(body.series).toHaveLength(24);
    expect(body.to).toBe('2026-01-01T01:00:00.000Z');
    const weatherCalls = body.byApi.find((a: any) => a.api === 'weather');
    expect(weatherCalls.calls).toBeGreaterThanOrEqual(3);
    expect(body.totals.calls).toBe(body.byApi.reduce((n: number, a: any) => n + a.calls, 0));
    expect(body.recent[0]).toMatchObject({ at: '2026-01-01T00:00:00.000Z', clientId });
    expect(body.recent.every((r: any) => r.clientId === clientId || r.clientId === null)).toBe(true);
    const bad = await json(await hub(ann, 'GET', '/apps/weather-app/traffic?from=2026-02-01&to=2026-01-01'));
    expect(bad.status).toBe(400);
  });

  it("never shows, changes, regenerates, deletes, tokens, tries, downloads or reports on another developer's app: 404", async () => {
    const attempts: Array<[string, string, unknown?]> = [
      ['GET', '/apps/weather-app'],
      ['PUT', '/apps/weather-app', { products: ['weather'] }],
      ['POST', `/apps/weather-app/credentials/${clientId}/regenerate`],
      ['POST', '/apps/weather-app/token', { clientId, clientSecret }],
      ['POST', '/apps/weather-app/try', { method: 'GET', path: '/weather' }],
      ['GET', '/apps/weather-app/postman-collection'],
      ['GET', '/apps/weather-app/traffic'],
      ['DELETE', '/apps/weather-app'],
    ];
    for (const [method, path, body] of attempts) {
      const answer = await json(await hub(bob, method, path, body));
      expect(answer.status, `${method} ${path}`).toBe(404);
      expect(answer.body.code, `${method} ${path}`).toBe('app.not_found');
      expect(answer.body.detail).toBe("Developer 'bob@example.com' has no app named 'weather-app'.");
    }
    expect((await json(await hub(bob, 'GET', '/apps'))).body.items).toEqual([]);
    expect((await json(await hub(ann, 'GET', '/apps/weather-app'))).status).toBe(200);
  });

  it("refuses another app's client id on one's own app", async () => {
    expect((await hub(bob, 'POST', '/apps', { name: 'bobs-app', products: ['weather'] })).status).toBe(201);
    const { status, body } = await json(await hub(bob, 'POST', '/apps/bobs-app/token', { clientId, clientSecret }));
    expect(status).toBe(404);
    expect(body).toMatchObject({ code: 'credential.not_found', detail: `App 'bobs-app' has no credential with client id '${clientId}'.` });
  });

  it('deletes an app: its credential stops working at once', async () => {
    expect((await hub(ann, 'DELETE', '/apps/weather-app')).status).toBe(204);
    expect((await hub(ann, 'GET', '/apps/weather-app')).status).toBe(404);
    const token = await fetch(`${gh.gateway}/oauth/token`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials',
    });
    expect(token.status).toBe(401);
  });
});

describe('the hub API document', () => {
  it('is served at /api/v1/openapi.json and says who may call each route', async () => {
    const { status, body } = await json(await hub({ origin: gh.hub }, 'GET', '/openapi.json'));
    expect(status).toBe(200);
    expect(body.info.title).toBe('Gatehouse developer hub API');
    expect(Object.keys(body.paths)).toEqual(expect.arrayContaining(['/api/v1/signup', '/api/v1/session', '/api/v1/products', '/api/v1/apps/{name}/try', '/api/v1/apps/{name}/postman-collection']));
    expect(body.paths['/api/v1/apps'].post['x-gatehouse-access']).toBe('developer-change');
    expect(body.paths['/api/v1/products'].get['x-gatehouse-access']).toBe('public');
  });
});

describe('sign-up with approval', () => {
  let approval: Gatehouse;
  beforeAll(async () => {
    approval = await startGatehouse({ env: { GATEHOUSE_HUB_SIGNUP: 'approval' } });
    await approval.manage('POST', '/apis', { name: 'token', basePath: '/oauth/token', preFlow: { request: [{ policy: 'oauth-v2', config: { operation: 'GenerateAccessToken' } }] } });
    await approval.manage('POST', '/products', { name: 'basic', apis: ['token'], published: true });
  });
  afterAll(async () => {
    await approval?.close();
  });

  it('makes an account with no roles and no developer profile, whose session says it waits for approval', async () => {
    const { response, body, visitor } = await signUp(approval.hub, 'pat@example.com', 'Pat Pending');
    expect(response.status).toBe(201);
    expect(body).toMatchObject({ user: { roles: [] }, signup: 'approval', developer: null, canCreateApps: false, reasonCode: 'hub.approval_pending' });
    expect(body.reason).toContain("Your account (pat@example.com) is waiting for an administrator's approval.");
    expect((await json(await approval.manage('GET', '/developers/pat@example.com'))).status).toBe(404);
    const apps = await json(await hub(visitor, 'GET', '/apps'));
    expect(apps.status).toBe(403);
    expect(apps.body.code).toBe('hub.approval_pending');
  });

  it('lets the account create apps once an administrator adds the developer role', async () => {
    const pat = await signIn(approval.hub, 'pat@example.com');
    expect((await approval.manage('PUT', '/users/pat@example.com', { roles: ['developer'] })).status).toBe(200);
    expect((await json(await hub(pat, 'GET', '/session'))).body).toMatchObject({ canCreateApps: true });
    expect((await hub(pat, 'POST', '/apps', { name: 'pats-app', products: ['basic'] })).status).toBe(201);
    expect((await json(await approval.manage('GET', '/developers/pat@example.com'))).body).toMatchObject({ firstName: 'Pat', lastName: 'Pending', apps: ['pats-app'] });
  });
});

describe('sign-up closed', () => {
  let closed: Gatehouse;
  beforeAll(async () => {
    closed = await startGatehouse({ env: { GATEHOUSE_HUB_SIGNUP: 'closed' } });
  });
  afterAll(async () => {
    await closed?.close();
  });

  it('is refused with a clear code, and the signed-out session says so', async () => {
    expect((await json(await hub({ origin: closed.hub }, 'GET', '/session'))).body.signup).toBe('closed');
    const { response, body } = await signUp(closed.hub, 'nope@example.com');
    expect(response.status).toBe(403);
    expect(body).toMatchObject({ code: 'hub.signup_closed' });
    expect((await json(await closed.manage('GET', '/users/nope@example.com'))).status).toBe(404);
  });
});
