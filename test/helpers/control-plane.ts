// Starts the management API on a real socket (port 0) over a real store, for end-to-end tests.
import type { FastifyInstance } from 'fastify';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildAdminApi } from '../../src/admin-api/server.ts';
import { ChangeFeed } from '../../src/manage/changes.ts';
import type { ManageDeps } from '../../src/manage/context.ts';
import { bootstrapAdmin } from '../../src/manage/users.ts';
import { openStore, type SqlStore } from '../../src/store/index.ts';
import { ValueCipher } from '../../src/util/cipher.ts';
import { ManualClock } from '../../src/util/clock.ts';

/** A fetch Response whose JSON the tests read loosely; assertions check its shape. */
export interface TestResponse extends Omit<Response, 'json'> {
  json(): Promise<any>;
}

export interface ControlPlane {
  url: string;
  adminToken: string;
  store: SqlStore;
  clock: ManualClock;
  deps: ManageDeps;
  dataDir: string | undefined;
  app: FastifyInstance;
  /** fetch against the management API with the admin token (or another). */
  call(method: string, path: string, body?: unknown, options?: { token?: string | null; headers?: Record<string, string> }): Promise<TestResponse>;
  close(): Promise<void>;
}

export const ADMIN_TOKEN = 'ghp_test-admin-token-0123456789abcdefghijklmnop';

/** The server secret of test control planes (encrypted key value maps); `secretKey: null` starts one without. */
export const TEST_SECRET_KEY = 'test-secret-key-0123456789abcdefghijklmnopqrstuvwxyz';

export async function startControlPlane(options: { databaseUrl?: string; sqliteFile?: boolean; secretKey?: string | null } = {}): Promise<ControlPlane> {
  const dataDir = options.databaseUrl ? undefined : mkdtempSync(join(tmpdir(), 'gatehouse-test-'));
  const { store } = await openStore({ databaseUrl: options.databaseUrl, dataDir });
  const clock = new ManualClock();
  const secretKey = options.secretKey === undefined ? TEST_SECRET_KEY : options.secretKey;
  const deps: ManageDeps = { store, clock, changes: new ChangeFeed(), ...(secretKey === null ? {} : { kvmCipher: new ValueCipher(secretKey) }) };
  await bootstrapAdmin(deps, ADMIN_TOKEN);
  const app = await buildAdminApi({ deps, health: { store, draining: () => false }, version: 'test', logLevel: false });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('no address');
  const url = `http://127.0.0.1:${address.port}`;
  return {
    url,
    adminToken: ADMIN_TOKEN,
    store,
    clock,
    deps,
    dataDir,
    app,
    async call(method, path, body, callOptions = {}) {
      const token = callOptions.token === undefined ? ADMIN_TOKEN : callOptions.token;
      const headers: Record<string, string> = { ...(callOptions.headers ?? {}) };
      if (token !== null) headers.authorization = `Bearer ${token}`;
      if (body !== undefined) headers['content-type'] = 'application/json';
      return (await fetch(`${url}${/^\/(api\/|healthz|readyz)/.test(path) ? path : `/api/v1${path}`}`, {
        method,
        headers,
        body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      })) as TestResponse;
    },
    async close() {
      await app.close();
      await store.close();
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
