// Stores that several real Gatehouse processes share in the multi-node e2e tests: one SQLite file, and PostgreSQL
// when one is configured (in CI it always is).
import { setTimeout as delay } from 'node:timers/promises';
import type { CliSession, EnvOverrides } from './cli-process.ts';
import { createTestDatabase, serviceAvailable } from './services.ts';

/** Polls `check` until it holds, for at most `timeoutMs`: how long a poll takes depends on the machine, not on a guess. */
export async function eventually(what: string, check: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting until ${what}`);
    await delay(20);
  }
}

export interface SharedStore {
  name: string;
  available(): boolean;
  /** Environment that points a node at the shared store; `drop` removes it afterwards. */
  store(session: CliSession): Promise<{ env: EnvOverrides; drop(): Promise<void> }>;
}

export const SHARED_STORES: SharedStore[] = [
  {
    name: 'one SQLite file',
    available: () => true,
    async store(session) {
      // Every node uses the one data directory: the same gatehouse.db, and the same secret.key the first start made.
      return { env: { GATEHOUSE_DATA_DIR: session.tempDir('gatehouse-nodes-') }, drop: async () => {} };
    },
  },
  {
    name: 'PostgreSQL',
    available: () => serviceAvailable('postgres'),
    async store() {
      const database = await createTestDatabase();
      return { env: { DATABASE_URL: database.url, GATEHOUSE_SECRET_KEY: 'nodes-e2e-secret-key-0123456789abcdefghijklmnop' }, drop: () => database.drop() };
    },
  },
];
