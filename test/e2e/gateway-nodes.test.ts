// Scale-out with real processes: a `gatehouse start` node and a `gatehouse gateway` node share one store (one SQLite
// file in WAL mode, and PostgreSQL when one is configured). What is changed through the start node's management API
// reaches the gateway node through the change log in the store, without a restart: a deploy is served there, an
// undeploy stops it, a revoked credential is refused, a changed key value map is read afresh. And the other way: a
// key-value-map step's write on the gateway node reaches the start node's cache.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CliSession, startEnv, type EnvOverrides, type StartedCli, type StartedGateway } from '../helpers/cli-process.ts';
import { startTextUpstream, type Upstream } from '../helpers/gateway-upstreams.ts';
import { eventually, SHARED_STORES } from '../helpers/shared-store.ts';

const ADMIN_TOKEN = 'gateway-nodes-admin-token-0123456789';
const KEY = 'nodes-key-client-0001';
const DEV = '/developers/dana@example.com';
const CREDENTIAL = `${DEV}/apps/keyed-app/credentials/${KEY}`;
/** Short, so the test is quick; the default is a second. */
const POLL_MS = '100';

for (const backend of SHARED_STORES) describe.skipIf(!backend.available())(`a start node and a gateway node sharing ${backend.name}`, () => {
  const session = new CliSession({ urgent: true });
  let shared: { env: EnvOverrides; drop(): Promise<void> } | undefined;
  let upstream: Upstream | undefined;
  let control: StartedCli;
  let node: StartedGateway;
  /** Where the gateway node lists every module it loads. */
  let moduleLog: string;

  const env = (): EnvOverrides => ({
    ...startEnv(session.tempDir(), shared?.env),
    GATEHOUSE_GATEWAY_HOST: '127.0.0.1',
    GATEHOUSE_HUB_HOST: '127.0.0.1',
    GATEHOUSE_ADMIN_TOKEN: ADMIN_TOKEN,
    GATEHOUSE_CHANGE_POLL_INTERVAL_MS: POLL_MS,
  });

  async function manage(method: string, path: string, body?: unknown): Promise<void> {
    const response = await fetch(`${control.urls.admin}/api/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    expect(response.status, `${method} ${path}: ${await response.clone().text()}`).toBeLessThan(300);
    await response.arrayBuffer();
  }

  async function status(origin: string, path: string, headers: Record<string, string> = {}): Promise<number> {
    const response = await fetch(`${origin}${path}`, { headers });
    await response.arrayBuffer();
    return response.status;
  }

  async function region(origin: string, caller?: string): Promise<string | null> {
    const response = await fetch(`${origin}/kvm/x`, { headers: caller ? { 'x-caller': caller } : {} });
    await response.arrayBuffer();
    expect(response.status).toBe(200);
    return response.headers.get('x-region');
  }

  beforeAll(async () => {
    upstream = await startTextUpstream('ok');
    shared = await backend.store(session);
    control = await session.start([], env());
    // The gateway node starts on an empty store: everything it serves below reached it through the change log.
    moduleLog = join(session.tempDir(), 'modules.txt');
    const recorder = join(import.meta.dirname, '../helpers/record-modules.js');
    node = await session.startGateway([], { ...env(), NODE_OPTIONS: `--import=${recorder}`, GATEHOUSE_TEST_MODULE_LOG: moduleLog });
  }, 120_000);

  afterAll(async () => {
    await session.cleanup();
    await shared?.drop();
    await upstream?.close();
  });

  it('is a gateway only: its banner lists no management API or hub, it answers health checks, and it serves nothing yet', async () => {
    expect(node.process.stdout).toContain('gateway node is running');
    expect(node.process.stdout).not.toMatch(/^ {2}(management API|admin console|developer hub) /m);
    // It never loads them, nor Fastify under them, nor the declarative modules: that is what keeps it small.
    const loaded = readFileSync(moduleLog, 'utf8').split('\n');
    expect(loaded.filter((url) => url.includes('/src/gateway/'))).not.toEqual([]);
    expect(loaded.filter((url) => /\/src\/(admin-api|hub-api)\/|\/node_modules\/(fastify|@fastify)\/|\/src\/declarative\/(apply|file|export)\.ts|\/node_modules\/yaml\//.test(url))).toEqual([]);
    // On SQLite it does not load the PostgreSQL driver either.
    if (backend.name === 'one SQLite file') expect(loaded.filter((url) => url.includes('/node_modules/pg/'))).toEqual([]);
    expect(await status(node.gateway, '/healthz')).toBe(200);
    expect(await status(node.gateway, '/readyz')).toBe(200);
    expect(await status(node.gateway, '/keyed/x')).toBe(404);
  });

  it('serves an API deployed through the start node, with the keys of an app created there', { timeout: 60_000 }, async () => {
    await manage('POST', '/apis', { name: 'keyed', basePath: '/keyed', target: { url: upstream?.url }, preFlow: { request: [{ policy: 'verify-api-key' }] } });
    await manage('POST', '/products', { name: 'keyed', apis: ['keyed'] });
    await manage('POST', '/developers', { email: 'dana@example.com', firstName: 'Dana', lastName: 'Developer' });
    await manage('POST', `${DEV}/apps`, { name: 'keyed-app', products: ['keyed'], credentials: [{ clientId: KEY, clientSecret: 'nodes-key-secret-0123456789' }] });
    await manage('POST', '/apis/keyed/revisions/1/deployment');
    expect(await status(control.urls.gateway, `/keyed/x?apikey=${KEY}`)).toBe(200); // at once on the node it was made on
    await eventually('the gateway node serves the deployed API', async () => (await status(node.gateway, `/keyed/x?apikey=${KEY}`)) === 200);
    expect(await status(node.gateway, '/keyed/x?apikey=unknown-key')).toBe(401);
  });

  it('refuses a key whose credential was revoked through the start node, and takes it again once approved', { timeout: 60_000 }, async () => {
    expect(await status(node.gateway, `/keyed/x?apikey=${KEY}`)).toBe(200); // the gateway node now holds the key in its cache
    await manage('POST', `${CREDENTIAL}/revoke`);
    await eventually('the gateway node refuses the revoked key', async () => (await status(node.gateway, `/keyed/x?apikey=${KEY}`)) === 401);
    await manage('POST', `${CREDENTIAL}/approve`);
    await eventually('the gateway node takes the approved key again', async () => (await status(node.gateway, `/keyed/x?apikey=${KEY}`)) === 200);
  });

  it('reads a key value map changed through the start node afresh, although its step caches reads for 300 s', { timeout: 60_000 }, async () => {
    await manage('POST', '/keyvaluemaps', { name: 'regions' });
    await manage('PUT', '/keyvaluemaps/regions/entries/default', { value: 'eu-west' });
    await manage('POST', '/apis', {
      name: 'kvm',
      basePath: '/kvm',
      preFlow: {
        request: [{ policy: 'key-value-map', config: { mapName: 'regions', cacheTtlSeconds: 300, get: [{ key: 'default', assignTo: 'flow.region' }] } }],
        response: [{ policy: 'assign-message', config: { set: { headers: { 'x-region': '{flow.region}' } }, ignoreUnresolvedVariables: true } }],
      },
    });
    await manage('POST', '/apis/kvm/revisions/1/deployment');
    await eventually('the gateway node serves the map-reading API', async () => (await status(node.gateway, '/kvm/x')) === 200);
    expect(await region(node.gateway)).toBe('eu-west'); // now cached on the gateway node

    await manage('PUT', '/keyvaluemaps/regions/entries/default', { value: 'us-east' });
    await eventually('the gateway node reads the new value', async () => (await region(node.gateway)) === 'us-east');
  });

  it("brings a key-value-map step's write on the gateway node to the start node's cache", { timeout: 60_000 }, async () => {
    await manage('PUT', '/apis/kvm', {
      name: 'kvm',
      basePath: '/kvm',
      preFlow: {
        request: [
          {
            policy: 'key-value-map',
            config: { mapName: 'regions', cacheTtlSeconds: 300, put: [{ key: 'default', value: '{request.header.x-caller}', override: true }], get: [{ key: 'default', assignTo: 'flow.region' }] },
          },
        ],
        response: [{ policy: 'assign-message', config: { set: { headers: { 'x-region': '{flow.region}' } }, ignoreUnresolvedVariables: true } }],
      },
    });
    await manage('POST', '/apis/kvm/revisions/2/deployment');
    // Without the header the put is skipped and the value is read, and cached, on the start node.
    await eventually('the start node serves revision 2', async () => (await region(control.urls.gateway)) === 'us-east');
    await eventually('the gateway node serves revision 2', async () => (await region(node.gateway, 'written-on-the-gateway-node')) === 'written-on-the-gateway-node');
    await eventually("the start node's cache drops the value written on the gateway node", async () => (await region(control.urls.gateway)) === 'written-on-the-gateway-node');
  });

  it('stops serving an API undeployed through the start node', { timeout: 60_000 }, async () => {
    expect(await status(node.gateway, `/keyed/x?apikey=${KEY}`)).toBe(200);
    await manage('DELETE', '/apis/keyed/deployment');
    await eventually('the gateway node answers 404 for the undeployed API', async () => (await status(node.gateway, `/keyed/x?apikey=${KEY}`)) === 404);
    expect(node.process.running).toBe(true);
  });

  it('on SIGTERM drains and exits 0', { timeout: 30_000 }, async () => {
    const exit = await node.process.stop();
    expect(exit).toEqual({ code: 0, signal: null });
    expect(node.process.stdout).toContain('Stopped.');
  });
});
