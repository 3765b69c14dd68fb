// The `gatehouse` command as a user runs it: real processes (node --import tsx src/cli.ts), real sockets, free
// ports, a fresh data directory per process, and an environment built from scratch (no DATABASE_URL from CI).
import { existsSync, writeFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { afterAll, beforeAll, describe, it, type TestContext } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { CliSession, startEnv, type EnvOverrides, type StartedCli } from '../helpers/cli-process.ts';

/** A session whose processes and temp directories are cleaned up when the test ends (safe in concurrent tests). */
function sessionFor(context: TestContext): CliSession {
  const session = new CliSession();
  context.onTestFinished(() => session.cleanup());
  return session;
}

async function call(baseUrl: string, path: string, token?: string, init: { method?: string; body?: unknown } = {}): Promise<{ status: number; body: any }> {
  const headers: Record<string, string> = {};
  if (token) headers.authorization = `Bearer ${token}`;
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${baseUrl}${path}`, { method: init.method ?? 'GET', headers, body: init.body === undefined ? undefined : JSON.stringify(init.body) });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

const api = (started: StartedCli, path: string, token: string, init?: { method?: string; body?: unknown }) => call(`${started.urls.admin}/api/v1`, path, token, init);

/** Every object key in a parsed document, at any depth. */
function keysOf(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(keysOf);
  if (value !== null && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => [k, ...keysOf(v)]);
  return [];
}

const ADMIN_EMAIL = 'admin@gatehouse.local';
const CONFIGURED_TOKEN = 'e2e-configured-admin-token-0123456789';

describe('gatehouse usage', { concurrent: true, timeout: 90_000 }, () => {
  it('prints the usage with its commands for --help, and exits 0', async (context) => {
    const { expect } = context;
    const result = await sessionFor(context).run(['--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Usage: gatehouse <command> [options]');
    for (const command of ['start', 'gateway', 'migrate', 'apply', 'export', 'help']) expect(result.stdout).toMatch(new RegExp(`^ {2}${command} `, 'm'));
    expect(result.stderr).toBe('');
  });

  it("prints the apply usage for 'help apply', and exits 0", async (context) => {
    const { expect } = context;
    const result = await sessionFor(context).run(['help', 'apply']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Usage: gatehouse apply -f FILE [--dry-run] [--url URL] [--token TOKEN]');
    expect(result.stdout).toContain('--dry-run');
    expect(result.stderr).toBe('');
  });

  it('exits 2 for an unknown command and names the commands', async (context) => {
    const { expect } = context;
    const result = await sessionFor(context).run(['frobnicate']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("Unknown command 'frobnicate'");
    expect(result.stderr).toContain('Commands: start, migrate, apply, export');
    expect(result.stdout).toBe('');
  });

  it("refuses 'gateway -c FILE': exit 2, sending the file to a start node, and starts nothing", async (context) => {
    const { expect } = context;
    const session = sessionFor(context);
    const dataDir = session.tempDir();
    const file = join(dataDir, 'gatehouse.yaml');
    writeFileSync(file, 'apis: []\n');
    const result = await session.run(['gateway', '-c', file], startEnv(dataDir));
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('A gateway node takes no -c FILE');
    expect(result.stderr).toContain('gatehouse apply -f FILE');
    expect(result.stdout).toBe('');
    expect(existsSync(join(dataDir, 'gatehouse.db'))).toBe(false);
  });

  it("prints the gateway usage for 'help gateway': the same options as start, without -c", async (context) => {
    const { expect } = context;
    const result = await sessionFor(context).run(['help', 'gateway']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Usage: gatehouse gateway [options]');
    expect(result.stdout).toContain('--change-poll-interval-ms');
    expect(result.stdout).toContain('docs/scaling.md');
  });

  it('refuses a start with a non-numeric --gateway-port: exit 1, naming the flag', async (context) => {
    const { expect } = context;
    const session = sessionFor(context);
    const result = await session.run(['start', '--gateway-port', 'eighty'], startEnv(session.tempDir()));
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('--gateway-port');
    expect(result.stderr).toContain('"eighty"');
    expect(result.stdout).not.toContain('is running');
  });

  it('refuses a start with GATEHOUSE_ADMIN_PORT=70000: exit 1, naming the variable', async (context) => {
    const { expect } = context;
    const session = sessionFor(context);
    const result = await session.run(['start'], startEnv(session.tempDir(), { GATEHOUSE_ADMIN_PORT: '70000' }));
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('GATEHOUSE_ADMIN_PORT');
    expect(result.stderr).toContain('70000');
    expect(result.stdout).not.toContain('is running');
  });
});

describe('gatehouse start', { concurrent: true, timeout: 90_000 }, () => {
  it('prints the three surfaces, the SQLite store and a one-time admin token that works; every port answers health checks', async (context) => {
    const { expect } = context;
    const session = sessionFor(context);
    const dataDir = session.tempDir();
    const started = await session.start([], startEnv(dataDir));
    const out = started.process.stdout;

    expect(out).toMatch(/^Gatehouse \S+ is running\.$/m);
    expect(started.urls.gateway).toMatch(/^http:\/\/localhost:\d+$/);
    expect(started.urls.admin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(started.urls.hub).toMatch(/^http:\/\/localhost:\d+$/);
    expect(out).toContain(`(docs: ${started.urls.admin}/api/docs)`);
    expect(out).toContain(`  store            SQLite ${join(dataDir, 'gatehouse.db')} (migrated: 0001-initial, 0002-key-value-maps, 0003-sessions, 0004-signing-keys, 0005-change-log, 0006-partial-token-indexes, 0007-sqlite-token-client-index)`);
    expect(out).toContain(`Created the first admin, ${ADMIN_EMAIL}.`);
    expect(started.printedToken).toMatch(/^ghp_\S{20,}$/);

    const me = await api(started, '/me', started.printedToken as string);
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ email: ADMIN_EMAIL, roles: ['admin'] });
    expect((await api(started, '/me', 'ghp_not-the-token-0123456789')).status).toBe(401);

    for (const base of Object.values(started.urls)) {
      for (const path of ['/healthz', '/readyz']) {
        const res = await call(base, path);
        expect(res.status, `${base}${path}`).toBe(200);
      }
    }
    expect((await call(started.urls.gateway, '/readyz')).body).toMatchObject({ status: 'ready', store: 'ok', draining: false });

    expect(await started.process.stop()).toEqual({ code: 0, signal: null });
  });

  it('prints no new token on a second start over the same data, and the first token still works', async (context) => {
    const { expect } = context;
    const session = sessionFor(context);
    const dataDir = session.tempDir();
    const first = await session.start([], startEnv(dataDir));
    const token = first.printedToken as string;
    expect(token).toMatch(/^ghp_/);
    expect(await first.process.stop()).toEqual({ code: 0, signal: null });

    const second = await session.start([], startEnv(dataDir));
    const out = second.process.stdout;
    expect(second.printedToken).toBeUndefined();
    expect(out).not.toContain('ghp_');
    expect(out).not.toContain('Created the first admin');
    expect(out).toContain(`  store            SQLite ${join(dataDir, 'gatehouse.db')}\n`);
    const me = await api(second, '/me', token);
    expect(me.status).toBe(200);
    expect(me.body.email).toBe(ADMIN_EMAIL);
  });

  it('uses GATEHOUSE_ADMIN_TOKEN as the admin token and says so without printing it', async (context) => {
    const { expect } = context;
    const session = sessionFor(context);
    const started = await session.start([], startEnv(session.tempDir(), { GATEHOUSE_ADMIN_TOKEN: CONFIGURED_TOKEN }));
    const out = started.process.stdout;
    expect(out).toMatch(new RegExp(`^ {2}admin +${ADMIN_EMAIL.replace(/\./g, '\\.')} \\(token from GATEHOUSE_ADMIN_TOKEN\\)$`, 'm'));
    expect(out).not.toContain(CONFIGURED_TOKEN);
    expect(started.process.stderr).not.toContain(CONFIGURED_TOKEN);
    expect(started.printedToken).toBeUndefined();
    expect(out).not.toContain('Created the first admin');

    const me = await api(started, '/me', CONFIGURED_TOKEN);
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ email: ADMIN_EMAIL, roles: ['admin'] });
  });

  it('keeps the SQLite file in GATEHOUSE_DATA_DIR, creating the directory when missing', async (context) => {
    const { expect } = context;
    const session = sessionFor(context);
    const dataDir = join(session.tempDir(), 'nested', 'store');
    expect(existsSync(dataDir)).toBe(false);
    const started = await session.start([], startEnv(dataDir));
    expect(started.process.stdout).toContain(`SQLite ${join(dataDir, 'gatehouse.db')}`);
    expect(existsSync(join(dataDir, 'gatehouse.db'))).toBe(true);
  });

  it('on SIGTERM stops taking new connections, lets an in-flight request finish, then exits 0 printing Stopped.', async (context) => {
    const { expect } = context;
    const session = sessionFor(context);
    const inFlight = await requestInFlightAtSigterm(context, session);

    const response = await inFlight.finish();
    expect(response.status).toBe(201);
    expect(JSON.parse(response.body)).toMatchObject({ name: 'drained', revision: 1 });
    // This client is done with the connection, as a client that does not reuse connections would be.
    inFlight.socket.end();

    const exit = await inFlight.process.waitForExit(15_000);
    expect(exit).toEqual({ code: 0, signal: null });
    expect(inFlight.process.stdout).toMatch(/\nStopped\.\n$/);
  });

  it('on SIGTERM closes a keep-alive connection once its in-flight request is answered, and exits without waiting for the shutdown deadline', async (context) => {
    const { expect } = context;
    const session = sessionFor(context);
    const inFlight = await requestInFlightAtSigterm(context, session);

    const response = await inFlight.finish();
    expect(response.status).toBe(201);
    // The client keeps the connection open (HTTP/1.1 keep-alive). While draining the server must let it go, not
    // hold it until GATEHOUSE_SHUTDOWN_TIMEOUT_MS (60 s here) and only then cut it.
    await inFlight.reader.waitForClose(5_000);
    const exit = await inFlight.process.waitForExit(5_000);
    expect(exit).toEqual({ code: 0, signal: null });
    expect(inFlight.process.stdout).toMatch(/\nStopped\.\n$/);
  });
});

/**
 * Starts Gatehouse, opens a raw connection to the admin port and sends the headers of POST /api/v1/apis and half of
 * its body; sends SIGTERM once the server has read the headers, and returns when the process is draining (new
 * connections refused). `finish()` sends the rest of the body and reads the response.
 */
async function requestInFlightAtSigterm(context: TestContext, session: CliSession) {
  const { expect } = context;
  // A shutdown deadline far beyond the test's bounds: the process may only exit by draining, never by cutting connections.
  const started = await session.start([], startEnv(session.tempDir(), { GATEHOUSE_ADMIN_TOKEN: CONFIGURED_TOKEN, GATEHOUSE_SHUTDOWN_TIMEOUT_MS: '60000' }));
  const admin = new URL(started.urls.admin);
  const port = Number(admin.port);

  const body = JSON.stringify({ name: 'drained', basePath: '/drained' });
  const split = Math.floor(body.length / 2);
  const socket = await openSocket(admin.hostname, port);
  context.onTestFinished(() => {
    socket.destroy();
  });
  const reader = new SocketReader(socket);
  // Expect: 100-continue makes the server say when it has read the headers: from then on the request is in flight.
  socket.write(
    [
      'POST /api/v1/apis HTTP/1.1',
      `Host: ${admin.host}`,
      `Authorization: Bearer ${CONFIGURED_TOKEN}`,
      'Content-Type: application/json',
      `Content-Length: ${Buffer.byteLength(body)}`,
      'Expect: 100-continue',
      '',
      '',
    ].join('\r\n'),
  );
  await reader.waitFor((text) => text.startsWith('HTTP/1.1 100 Continue\r\n\r\n'), 10_000);
  socket.write(body.slice(0, split));

  started.process.signal('SIGTERM');
  await started.process.waitForOutput('SIGTERM: finishing in-flight requests and stopping', 10_000);
  // The process has acted on the signal: new connections are refused on the admin port and the gateway port.
  await waitUntilRefused(admin.hostname, port, 10_000);
  await waitUntilRefused('127.0.0.1', Number(new URL(started.urls.gateway).port), 10_000);
  expect(started.process.running).toBe(true);

  return {
    process: started.process,
    socket,
    reader,
    finish() {
      socket.write(body.slice(split));
      return reader.waitForResponse(10_000);
    },
  };
}

// The suite runs beside the others; its tests run in order, one after another, against one instance.
describe('gatehouse apply and export against a running instance', { concurrent: true, timeout: 90_000 }, () => {
  const session = new CliSession({ urgent: true });
  let started: StartedCli;
  let token: string;
  let dir: string;
  let seedFile: string;
  let exportedYaml: string | undefined;
  const weather = { url: 'http://127.0.0.1:9/v1', clientId: 'weather-client-0001', clientSecret: 'weather-secret-0123456789abcdef' };

  const SEED = `# A token API, a weather API behind a product, and a developer whose app brings its own credential.
apis:
  - name: token
    basePath: /oauth/token
    preFlow:
      request:
        - policy: oauth-v2
          config: { operation: GenerateAccessToken, supportedGrantTypes: [client_credentials] }
  - name: weather
    basePath: /weather
    target: { url: "\${WEATHER_URL}" }
products:
  - name: weather
    displayName: Weather
    apis: [token, weather]
developers:
  - email: dana@example.com
    firstName: Dana
    lastName: Scully
    apps:
      - name: weather-app
        products: [weather]
        credentials:
          - clientId: "\${WEATHER_CLIENT_ID}"
            clientSecret: "\${WEATHER_CLIENT_SECRET}"
`;

  function applyEnv(overrides: EnvOverrides = {}): EnvOverrides {
    return {
      GATEHOUSE_URL: started.urls.admin,
      GATEHOUSE_TOKEN: token,
      WEATHER_URL: weather.url,
      WEATHER_CLIENT_ID: weather.clientId,
      WEATHER_CLIENT_SECRET: weather.clientSecret,
      ...overrides,
    };
  }

  const secretMatches = async () =>
    (await api(started, `/developers/dana@example.com/apps/weather-app/credentials/${weather.clientId}/check-secret`, token, { method: 'POST', body: { clientSecret: weather.clientSecret } })).body?.matches;

  beforeAll(async () => {
    dir = session.tempDir();
    started = await session.start([], startEnv(join(dir, 'data')));
    if (!started.printedToken) throw new Error(`No admin token printed: ${started.process.describe()}`);
    token = started.printedToken;
    seedFile = join(dir, 'gatehouse.yaml');
    writeFileSync(seedFile, SEED);
  }, 60_000);
  afterAll(() => session.cleanup(), 60_000);

  it.sequential('apply --dry-run prints the plan (5 to create) and changes nothing', async ({ expect }) => {
    const result = await session.run(['apply', '-f', seedFile, '--dry-run'], applyEnv());
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(`Plan for ${seedFile}:`);
    expect(result.stdout).toMatch(/^ {2}\+ api token +create: base path \/oauth\/token; deploy revision 1$/m);
    expect(result.stdout).toMatch(/^ {2}\+ api weather +create: base path \/weather; deploy revision 1$/m);
    expect(result.stdout).toMatch(/^ {2}\+ product weather +create$/m);
    expect(result.stdout).toMatch(/^ {2}\+ developer dana@example\.com +create$/m);
    expect(result.stdout).toMatch(/^ {2}\+ app dana@example\.com\/weather-app +create: import 1 credential \(weather-client-0001\)$/m);
    expect(result.stdout).toContain('5 to create. Dry run: nothing was changed.');
    expect(result.stdout).not.toContain(weather.clientSecret);

    for (const path of ['/apis', '/products', '/developers']) {
      const list = await api(started, path, token);
      expect(list.status).toBe(200);
      expect(list.body.items, path).toEqual([]);
    }
  });

  it.sequential('apply creates everything, imports the credential and deploys each API', async ({ expect }) => {
    const result = await session.run(['apply', '-f', seedFile], applyEnv());
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(`Applied for ${seedFile}:`);
    expect(result.stdout).toContain('Done: 5 created.');

    for (const name of ['token', 'weather']) {
      const deployment = await api(started, `/apis/${name}/deployment`, token);
      expect(deployment.status, name).toBe(200);
      expect(deployment.body).toMatchObject({ api: name, revision: 1 });
    }
    expect((await api(started, '/apis/weather', token)).body.target).toEqual({ url: weather.url });
    expect((await api(started, '/products/weather', token)).body.apis).toEqual(['token', 'weather']);
    const app = await api(started, '/developers/dana@example.com/apps/weather-app', token);
    expect(app.status).toBe(200);
    expect(app.body.credentials.map((c: { clientId: string }) => c.clientId)).toEqual([weather.clientId]);
    expect(await secretMatches()).toBe(true);
  });

  it.sequential('applying the same file again prints No changes', async ({ expect }) => {
    const result = await session.run(['apply', '-f', seedFile], applyEnv());
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(`No changes: everything in ${seedFile} is already in place.`);
    expect(result.stdout).not.toMatch(/^ {2}[+~>] /m);
    expect(result.stdout).toMatch(/^ {2}= credential weather-client-0001 +unchanged$/m);
  });

  it.sequential('a changed ${WEATHER_URL} updates the weather API: the plan shows the url change, revision 2 is deployed', async ({ expect }) => {
    const before = weather.url;
    weather.url = 'http://127.0.0.1:9/v2';
    const result = await session.run(['apply', '-f', seedFile], applyEnv());
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^ {2}~ api weather +update$/m);
    expect(result.stdout).toContain(`      target.url: ${JSON.stringify(before)} → ${JSON.stringify(weather.url)}\n`);
    expect(result.stdout).toContain('      save revision 2 and deploy it\n');
    expect(result.stdout).toMatch(/^ {2}= api token +unchanged: revision 1 deployed$/m);
    expect(result.stdout).toContain('Done: 1 updated, 5 unchanged.');

    const deployment = await api(started, '/apis/weather/deployment', token);
    expect(deployment.status).toBe(200);
    expect(deployment.body).toMatchObject({ api: 'weather', revision: 2 });
    expect((await api(started, '/apis/weather', token)).body).toMatchObject({ target: { url: weather.url }, latestRevision: 2, deployedRevision: 2 });
  });

  it.sequential('export prints the APIs, the product and the developer with its app as YAML, without the client secret', async ({ expect }) => {
    const result = await session.run(['export'], applyEnv());
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).not.toContain(weather.clientSecret);
    exportedYaml = result.stdout;
    const state = parseYaml(result.stdout);
    expect(keysOf(state)).not.toContain('credentials');
    expect(keysOf(state)).not.toContain('clientSecret');
    expect(state.apis.map((a: { name: string }) => a.name).sort()).toEqual(['token', 'weather']);
    expect(state.apis.find((a: { name: string }) => a.name === 'weather')).toMatchObject({ basePath: '/weather', target: { url: weather.url } });
    expect(state.products).toEqual([expect.objectContaining({ name: 'weather', apis: ['token', 'weather'] })]);
    expect(state.developers).toEqual([
      expect.objectContaining({ email: 'dana@example.com', firstName: 'Dana', lastName: 'Scully', apps: [expect.objectContaining({ name: 'weather-app', products: ['weather'] })] }),
    ]);
  });

  it.sequential('applying the exported file to the same instance changes nothing and leaves the imported credential alone', async ({ expect }) => {
    if (exportedYaml === undefined) throw new Error('The export step did not run or failed.');
    const exported = join(dir, 'exported.yaml');
    writeFileSync(exported, exportedYaml);

    const result = await session.run(['apply', '-f', exported], applyEnv());
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(`No changes: everything in ${exported} is already in place.`);
    expect(result.stdout).not.toContain('credential');
    const app = await api(started, '/developers/dana@example.com/apps/weather-app', token);
    expect(app.body.credentials.map((c: { clientId: string }) => c.clientId)).toEqual([weather.clientId]);
    expect(await secretMatches()).toBe(true);
  });

  // Refusals change nothing, so they run side by side once the steps above are done.
  describe('refuses', { concurrent: true }, () => {
    it('exits 1 naming ${WEATHER_URL} when the environment does not set it', async ({ expect }) => {
      const result = await session.run(['apply', '-f', seedFile], applyEnv({ WEATHER_URL: undefined }));
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('${WEATHER_URL}');
      expect(result.stderr).not.toContain('${WEATHER_CLIENT_ID}');
      expect(result.stdout).toBe('');
    });

    it('exits 1 naming the path of an unknown field', async ({ expect }) => {
      const file = join(dir, 'typo.yaml');
      writeFileSync(file, 'apis:\n  - name: typo\n    basePath: /typo\n    tagret: { url: "http://127.0.0.1:9" }\n');
      const result = await session.run(['apply', '-f', file], applyEnv());
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('/apis/0/tagret is not a known field');
      expect((await api(started, '/apis/typo', token)).status).toBe(404);
    });

    it('exits 1 with auth.invalid_token for a wrong token', async ({ expect }) => {
      const result = await session.run(['apply', '-f', seedFile], applyEnv({ GATEHOUSE_TOKEN: 'ghp_wrong-token-0123456789abcdef' }));
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('auth.invalid_token');
    });
  });
});

describe('gatehouse oauth init', { timeout: 90_000 }, () => {
  it('creates and deploys the authorization, token, revocation and introspection APIs, which the gateway then describes (RFC 8414); again: no changes', async (context) => {
    const { expect } = context;
    const session = sessionFor(context);
    const started = await session.start([], startEnv(session.tempDir()));
    const env = { GATEHOUSE_URL: started.urls.admin, GATEHOUSE_TOKEN: started.printedToken };

    const first = await session.run(['oauth', 'init'], env);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain('Done: 4 created.');
    expect(first.stdout).toContain('/.well-known/oauth-authorization-server');

    const metadata = await call(started.urls.gateway, '/.well-known/oauth-authorization-server');
    expect(metadata.status).toBe(200);
    const gateway = started.urls.gateway;
    expect(metadata.body).toMatchObject({
      issuer: gateway,
      authorization_endpoint: `${gateway}/oauth/authorize`,
      token_endpoint: `${gateway}/oauth/token`,
      revocation_endpoint: `${gateway}/oauth/revoke`,
      introspection_endpoint: `${gateway}/oauth/introspect`,
      jwks_uri: `${gateway}/.well-known/jwks.json`,
      grant_types_supported: ['client_credentials', 'authorization_code', 'refresh_token'],
      code_challenge_methods_supported: ['S256'],
    });

    const again = await session.run(['oauth', 'init'], env);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain('No changes');

    const wrong = await session.run(['oauth', 'init', '--format', 'saml'], env);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain("--format is jwt or opaque, not 'saml'.");
  });
});

describe('gatehouse start -c FILE', { concurrent: true, timeout: 90_000 }, () => {
  it("listens on the ports of the file's server section and applies its APIs and products at boot", async (context) => {
    const { expect } = context;
    const session = sessionFor(context);
    const dir = session.tempDir();
    const file = join(dir, 'gatehouse.yaml');
    writeFileSync(
      file,
      `server:
  gateway: { port: 0 }
  admin: { port: 0 }
  hub: { port: 0 }
apis:
  - name: hello
    basePath: /hello
    target: { url: "http://127.0.0.1:9/hello" }
products:
  - name: hello
    apis: [hello]
`,
    );
    // No port variables: only the file can move the ports off 8080-8082.
    const started = await session.start(['-c', file], { GATEHOUSE_DATA_DIR: join(dir, 'data'), GATEHOUSE_ADMIN_TOKEN: CONFIGURED_TOKEN });
    for (const url of Object.values(started.urls)) expect(['8080', '8081', '8082']).not.toContain(new URL(url).port);
    const out = started.process.stdout;
    expect(out).toContain(`Applied ${file}:`);
    expect(out).toMatch(/^ {2}\+ api hello +create: base path \/hello; deploy revision 1$/m);
    expect(out).toMatch(/^ {2}\+ product hello +create$/m);

    const deployment = await api(started, '/apis/hello/deployment', CONFIGURED_TOKEN);
    expect(deployment.status).toBe(200);
    expect(deployment.body).toMatchObject({ api: 'hello', revision: 1, basePath: '/hello' });
    expect((await api(started, '/products/hello', CONFIGURED_TOKEN)).status).toBe(200);
  });

  it('exits 1 naming server.gateway.prot for a misspelt setting in the server section', async (context) => {
    const { expect } = context;
    const session = sessionFor(context);
    const dir = session.tempDir();
    const file = join(dir, 'gatehouse.yaml');
    writeFileSync(file, 'server:\n  gateway: { prot: 1 }\n');
    const result = await session.run(['start', '-c', file], { GATEHOUSE_DATA_DIR: join(dir, 'data') });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('server.gateway.prot');
    expect(result.stdout).not.toContain('is running');
  });
});

describe('gatehouse migrate', { concurrent: true, timeout: 90_000 }, () => {
  it('applies every migration to a fresh data dir, and then says it is already up to date', async (context) => {
    const { expect } = context;
    const session = sessionFor(context);
    const dataDir = session.tempDir();
    const location = `SQLite ${join(dataDir, 'gatehouse.db')}`;
    const first = await session.run(['migrate'], { GATEHOUSE_DATA_DIR: dataDir });
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toBe(`${location}: applied 0001-initial, 0002-key-value-maps, 0003-sessions, 0004-signing-keys, 0005-change-log, 0006-partial-token-indexes, 0007-sqlite-token-client-index.\n`);
    const again = await session.run(['migrate', '--data-dir', dataDir]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toBe(`${location}: already up to date.\n`);
  });
});

// --- raw sockets, for the drain test -------------------------------------------------------------------------------

function openSocket(host: string, port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, host);
    socket.once('connect', () => {
      socket.off('error', reject);
      resolve(socket);
    });
    socket.once('error', reject);
  });
}

/** Resolves once a new TCP connection to host:port is refused; polls (bounded) until then. */
async function waitUntilRefused(host: string, port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const refused = await new Promise<boolean>((resolve) => {
      const probe = connect(port, host);
      probe.once('connect', () => {
        probe.destroy();
        resolve(false);
      });
      probe.once('error', () => resolve(true));
    });
    if (refused) return;
    if (Date.now() > deadline) throw new Error(`${host}:${port} still accepts connections after ${timeoutMs} ms`);
    await delay(20);
  }
}

/** Collects what a socket receives and parses one HTTP/1.1 response with a Content-Length. */
class SocketReader {
  private text = '';
  private closed = false;
  private readonly listeners = new Set<() => void>();

  constructor(socket: Socket) {
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      this.text += chunk;
      this.notify();
    });
    socket.on('close', () => {
      this.closed = true;
      this.notify();
    });
    socket.on('error', () => {});
  }

  private notify(): void {
    for (const listener of [...this.listeners]) listener();
  }

  /** Resolves when the peer has closed the connection. */
  waitForClose(timeoutMs: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const done = (error?: Error) => {
        clearTimeout(timer);
        this.listeners.delete(check);
        if (error) reject(error);
        else resolve();
      };
      const check = () => {
        if (this.closed) done();
      };
      const timer = setTimeout(() => done(new Error(`The server still holds the connection open after ${timeoutMs} ms; received: ${JSON.stringify(this.text)}`)), timeoutMs);
      this.listeners.add(check);
      check();
    });
  }

  waitFor(predicate: (text: string) => boolean, timeoutMs: number): Promise<string> {
    return new Promise((resolve, reject) => {
      const done = (error?: Error) => {
        clearTimeout(timer);
        this.listeners.delete(check);
        if (error) reject(error);
        else resolve(this.text);
      };
      const check = () => {
        if (predicate(this.text)) done();
        else if (this.closed) done(new Error(`The connection closed; received: ${JSON.stringify(this.text)}`));
      };
      const timer = setTimeout(() => done(new Error(`Timed out after ${timeoutMs} ms; received: ${JSON.stringify(this.text)}`)), timeoutMs);
      this.listeners.add(check);
      check();
    });
  }

  /** The final (non-1xx) response: status, headers (lower-case names) and body. */
  async waitForResponse(timeoutMs: number): Promise<{ status: number; headers: Record<string, string>; body: string }> {
    const final = (text: string) => {
      const start = text.search(/HTTP\/1\.1 [2-5]\d\d /);
      if (start < 0) return undefined;
      const rest = text.slice(start);
      const end = rest.indexOf('\r\n\r\n');
      if (end < 0) return undefined;
      const [statusLine = '', ...lines] = rest.slice(0, end).split('\r\n');
      const headers = Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf(':')).trim().toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
      const length = Number(headers['content-length'] ?? 0);
      const body = rest.slice(end + 4);
      if (Buffer.byteLength(body) < length) return undefined;
      return { status: Number(statusLine.split(' ')[1]), headers, body };
    };
    const text = await this.waitFor((t) => final(t) !== undefined, timeoutMs);
    return final(text) as NonNullable<ReturnType<typeof final>>;
  }
}
