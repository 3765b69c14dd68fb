// Test plumbing for suites that need a real service: where PostgreSQL and Redis are, what to do when one is
// missing (skip loudly on a laptop, fail in CI), and a throwaway database per suite.
import { randomBytes } from 'node:crypto';
import pg from 'pg';

type Service = 'postgres' | 'redis';

const ENV_VARS: Record<Service, string> = { postgres: 'DATABASE_URL', redis: 'REDIS_URL' };
const warned = new Set<Service>();

function envUrl(name: string): string | undefined {
  const value = process.env[name]?.trim();
  return value ? value : undefined;
}

/** The PostgreSQL server URL for tests, or undefined when none is configured. */
export function postgresUrl(): string | undefined {
  return envUrl(ENV_VARS.postgres);
}

/** The Redis server URL for tests, or undefined when none is configured. */
export function redisUrl(): string | undefined {
  return envUrl(ENV_VARS.redis);
}

/** True in CI (process.env.CI === 'true' or '1'). */
export function inCI(): boolean {
  return process.env.CI === 'true' || process.env.CI === '1';
}

/**
 * Call at the top of a describe block for a suite needing a service. Returns true when the suite may run.
 * When the service is missing: in CI it throws; outside CI it prints once
 * `SKIPPED-SERVICE: <service> tests skipped: set <ENVVAR> to run them (see README "Running the tests")` to stderr
 * and returns false (the caller then uses describe.skipIf).
 */
export function serviceAvailable(service: Service): boolean {
  const envVar = ENV_VARS[service];
  if (envUrl(envVar)) return true;
  if (inCI()) {
    throw new Error(`${service} is required in CI: set ${envVar} (.ci/run starts one, see .ci/services.sh)`);
  }
  if (!warned.has(service)) {
    warned.add(service);
    process.stderr.write(
      `SKIPPED-SERVICE: ${service} tests skipped: set ${envVar} to run them (see README "Running the tests")\n`,
    );
  }
  return false;
}

async function withClient<T>(url: string, use: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}

/**
 * Creates a fresh, uniquely named database on the configured PostgreSQL server (name `gh_test_<random>`),
 * returns its URL and an async drop() that terminates its connections and drops it.
 */
export async function createTestDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const serverUrl = postgresUrl();
  if (!serverUrl) throw new Error('createTestDatabase: DATABASE_URL is not set (see serviceAvailable)');
  // Lowercase hex only, so the name needs no quoting and cannot inject.
  const name = `gh_test_${randomBytes(8).toString('hex')}`;
  await withClient(serverUrl, (client) => client.query(`create database ${name}`));
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      // PostgreSQL 13+: WITH (FORCE) terminates the database's sessions first, so a test that left a
      // connection or pool open still cleans up.
      await withClient(serverUrl, (client) => client.query(`drop database if exists ${name} with (force)`));
    },
  };
}
