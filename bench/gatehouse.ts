// Gatehouse under test: built output (dist/), pinned to the server core. `gatehouse start -c FILE` prepares a data
// directory from a declarative file once; each scenario runs a `gatehouse gateway` node on a copy of it. Plus seeding
// a million tokens straight into its SQLite file.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { cpSync, existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import { seededToken } from './load.ts';
import { freePort, probe, runToEnd, startProcess, stop, waitUntil, type Started } from './processes.ts';

/** One OAuth client of the bench: each gets its own app (Gatehouse, Express Gateway) or client (oidc-provider). */
export interface BenchClient {
  clientId: string;
  clientSecret: string;
}

export const CLIENT_COUNT = 64;
export const SEED_TOKEN_PREFIX = 'bench-seeded-token-';
export const PRODUCT = 'bench';

export function benchClients(count = CLIENT_COUNT): BenchClient[] {
  return Array.from({ length: count }, (_, i) => ({ clientId: `bench-client-${String(i).padStart(2, '0')}`, clientSecret: randomBytes(32).toString('base64url') }));
}

/** The paths the bench calls on Gatehouse. */
export const GATEHOUSE_PATHS = {
  proxy: '/proxy/weather?city=Berlin',
  guarded: '/guarded/weather?city=Berlin',
  tokenOpaque: '/oauth/token',
  tokenJwt: '/oauth/token-jwt',
  tokenRs256: '/oauth/token-rs256',
} as const;

/**
 * The declarative file: a plain proxy API, a guarded one (VerifyAccessToken, then quota and spike arrest per client,
 * with limits no run reaches, so every call does the full work and none is refused), token APIs (opaque; JWT with the
 * default algorithm; JWT RS256), one product, one developer with an app per client. The log level is `silent`.
 */
export function gatehouseFile(upstreamOrigin: string, clients: readonly BenchClient[]): object {
  const token = (name: string, basePath: string, extra: object) => ({
    name,
    basePath,
    preFlow: { request: [{ policy: 'oauth-v2', config: { operation: 'GenerateAccessToken', supportedGrantTypes: ['client_credentials'], expiresIn: 3_600_000, ...extra } }] },
  });
  return {
    server: { logLevel: 'silent', shutdownTimeoutMs: 2000, gateway: { host: '127.0.0.1' }, admin: { host: '127.0.0.1' }, hub: { host: '127.0.0.1' } },
    apis: [
      { name: 'bench-proxy', basePath: '/proxy', target: { url: upstreamOrigin } },
      {
        name: 'bench-guarded',
        basePath: '/guarded',
        target: { url: upstreamOrigin },
        preFlow: {
          request: [
            { policy: 'oauth-v2', name: 'verify', config: { operation: 'VerifyAccessToken' } },
            { policy: 'quota', name: 'quota', config: { limit: 1_000_000_000, timeUnit: 'minute', useProductQuota: false } },
            // At most 1000ps per identifier: per client, 64 clients allow 64,000 calls per second in all.
            { policy: 'spike-arrest', name: 'spike-arrest', config: { rate: '1000ps', identifier: 'client_id' } },
          ],
        },
      },
      token('bench-token', GATEHOUSE_PATHS.tokenOpaque, { tokenFormat: 'opaque' }),
      token('bench-token-jwt', GATEHOUSE_PATHS.tokenJwt, { tokenFormat: 'jwt' }),
      token('bench-token-rs256', GATEHOUSE_PATHS.tokenRs256, { tokenFormat: 'jwt', algorithm: 'RS256' }),
    ],
    products: [{ name: PRODUCT, displayName: 'Bench', apis: ['bench-guarded', 'bench-token', 'bench-token-jwt', 'bench-token-rs256'] }],
    developers: [
      {
        email: 'bench@example.com',
        firstName: 'Bench',
        lastName: 'Client',
        apps: clients.map((c, i) => ({ name: `bench-app-${String(i).padStart(2, '0')}`, products: [PRODUCT], credentials: [{ clientId: c.clientId, clientSecret: c.clientSecret }] })),
      },
    ],
  };
}

/** Source files newer than their build, or why a full build is needed; empty when dist/ is current. */
export function staleBuild(root: string): { full: boolean; stale: string[] } {
  if (!existsSync(join(root, 'dist/cli.js')) || !existsSync(join(root, 'dist/web'))) return { full: true, stale: ['dist/ is missing'] };
  const stale: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') && !entry.name.endsWith('.d.ts')) {
        const built = join(root, 'dist', relative(join(root, 'src'), path)).replace(/\.ts$/, '.js');
        if (!existsSync(built) || statSync(built).mtimeMs < statSync(path).mtimeMs) stale.push(relative(root, path));
      }
    }
  };
  walk(join(root, 'src'));
  return { full: false, stale };
}

/**
 * Brings dist/ up to date: `npm run build` when it is missing, else the server build (`tsc -p tsconfig.build.json`)
 * when a source is newer; the web apps are not on any path the bench measures. Returns what it did.
 */
export async function ensureBuilt(root: string): Promise<string> {
  const { full, stale } = staleBuild(root);
  if (!full && stale.length === 0) return 'dist/ was current';
  const [command, args, what] = full ? (['npm', ['run', 'build'], 'npm run build'] as const) : (['npx', ['tsc', '-p', 'tsconfig.build.json'], 'tsc -p tsconfig.build.json'] as const);
  process.stdout.write(`Building Gatehouse (${what}): ${full ? stale[0] : `${stale.length} source file(s) newer than dist/, e.g. ${stale.slice(0, 3).join(', ')}`}…\n`);
  const { code, output } = await runToEnd('build', command, [...args], { cwd: root, timeoutMs: 300_000 });
  if (code !== 0) throw new Error(`${what} failed (exit ${code}); fix the build or pass --no-build to measure dist/ as it is:\n${output.slice(-3000)}`);
  return `rebuilt with ${what}`;
}

export interface GatehouseOptions {
  root: string;
  configFile: string;
  dataDir: string;
  core: string;
  secretKey: string;
  adminToken: string;
  /** Directory for `node --cpu-prof` profiles, when profiling. */
  cpuProfDir?: string | undefined;
  profileName?: string;
  /**
   * `gateway` (the default for scenarios): a `gatehouse gateway` node on a data directory prepared before, the data
   * plane as one scales it out. `start`: the all-in-one process (gateway, management API, hub), applying `configFile`.
   */
  role?: 'start' | 'gateway';
  /** Node flags to start with (bench --gatehouse-node-flags). */
  nodeFlags?: readonly string[];
}

export interface RunningGatehouse {
  process: Started;
  gatewayPort: number;
  /** From spawn to the first 200 on the probe. */
  readyMs: number;
}

/** Starts Gatehouse and waits until `readyPath` answers 200 (with `readyHeaders`); returns how long that took. */
export async function startGatehouse(options: GatehouseOptions, readyPath: string = GATEHOUSE_PATHS.proxy, readyHeaders: Record<string, string> = {}): Promise<RunningGatehouse> {
  const [gatewayPort, adminPort, hubPort] = [await freePort(), await freePort(), await freePort()];
  const nodeArgs = [...(options.nodeFlags ?? []), ...(options.cpuProfDir ? ['--cpu-prof', '--cpu-prof-dir', options.cpuProfDir, '--cpu-prof-name', `${options.profileName ?? 'gatehouse'}.cpuprofile`] : [])];
  const command = options.role === 'gateway' ? ['gateway'] : ['start', '-c', options.configFile, '--admin-port', String(adminPort), '--hub-port', String(hubPort)];
  const args = [...nodeArgs, join(options.root, 'dist/cli.js'), ...command, '--data-dir', options.dataDir, '--gateway-port', String(gatewayPort)];
  const env = { ...process.env, NODE_ENV: 'production', GATEHOUSE_SECRET_KEY: options.secretKey, GATEHOUSE_ADMIN_TOKEN: options.adminToken };
  const began = performance.now();
  const p = startProcess('gatehouse', process.execPath, args, { core: options.core, env, cwd: options.root });
  let readyMs = 0;
  await waitUntil(
    p,
    `the gateway answered ${readyPath}`,
    async () => {
      const status = await probe(gatewayPort, readyPath, readyHeaders);
      if (status === 200) readyMs = performance.now() - began;
      return status === 200;
    },
    60_000,
    5,
  );
  // `start -c` applies the file after listening; the run begins once the start-up is over (both print this line).
  await waitUntil(p, 'the start-up finished', async () => p.output().includes('Press Ctrl+C to stop.'), 60_000);
  return { process: p, gatewayPort, readyMs };
}

export async function stopGatehouse(running: RunningGatehouse): Promise<void> {
  // A clean SIGTERM lets --cpu-prof write its profile.
  await stop(running.process, 15_000);
}

/** Issues one access token per client from a Gatehouse token API. */
export async function issueTokens(port: number, path: string, clients: readonly BenchClient[]): Promise<string[]> {
  const tokens: string[] = [];
  for (const client of clients) tokens.push(await issueToken(`http://127.0.0.1:${port}${path}`, client));
  return tokens;
}

export async function issueToken(url: string, client: BenchClient, body = 'grant_type=client_credentials'): Promise<string> {
  const response = await fetch(url, { method: 'POST', headers: { authorization: basic(client), 'content-type': 'application/x-www-form-urlencoded' }, body });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`POST ${url} for ${client.clientId} answered ${response.status}: ${text.slice(0, 300)}`);
  return (JSON.parse(text) as { access_token: string }).access_token;
}

export function basic(client: BenchClient): string {
  return `Basic ${Buffer.from(`${encodeURIComponent(client.clientId)}:${encodeURIComponent(client.clientSecret)}`).toString('base64')}`;
}

/**
 * Writes `count` opaque access tokens straight into a stopped Gatehouse's SQLite file, in one transaction: token i is
 * `seededToken(SEED_TOKEN_PREFIX, i)`, stored as Gatehouse stores tokens (SHA-256 hex of the token), for client
 * i mod 64. This reaches past the store's interface on purpose (a million issuances would take minutes); if the
 * table changes, the insert fails loudly rather than measuring the wrong thing.
 */
export function seedTokens(dbFile: string, count: number): { ms: number } {
  const began = performance.now();
  const db = new Database(dbFile);
  try {
    const owners = db.prepare('SELECT c.client_id AS clientId, c.app_id AS appId, a.developer_id AS developerId FROM credentials c JOIN apps a ON a.id = c.app_id ORDER BY c.client_id').all() as Array<{ clientId: string; appId: string; developerId: string }>;
    if (owners.length === 0) throw new Error(`No credentials in ${dbFile} to seed tokens for.`);
    const insert = db.prepare(
      `INSERT INTO oauth_tokens (id, kind, token_hash, client_id, app_id, developer_id, products, scope, grant_type, end_user, issued_at, expires_at, revoked_at, family_id, attributes)
       VALUES (?, 'access', ?, ?, ?, ?, ?, '', 'client_credentials', NULL, ?, ?, NULL, NULL, '{}')`,
    );
    const now = Date.now();
    const products = JSON.stringify([PRODUCT]);
    const expires = now + 24 * 3600 * 1000;
    db.transaction(() => {
      for (let i = 0; i < count; i++) {
        const owner = owners[i % owners.length] as (typeof owners)[number];
        const hash = createHash('sha256').update(seededToken(SEED_TOKEN_PREFIX, i), 'utf8').digest('hex');
        insert.run(randomUUID(), hash, owner.clientId, owner.appId, owner.developerId, products, now, expires);
      }
    })();
    db.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    db.close();
  }
  return { ms: performance.now() - began };
}

/** Copies a prepared data directory, so each scenario starts from the same state in a directory of its own. */
export function copyDataDir(from: string, to: string): void {
  cpSync(from, to, { recursive: true });
}

export function writeJson(path: string, value: unknown): string {
  writeFileSync(path, `${JSON.stringify(value, null, 2)}\n`);
  return path;
}
