// Starts the whole of Gatehouse in-process (gateway, management API, hub) on port 0 with a manual clock.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config/load.ts';
import { apply } from '../../src/declarative/apply.ts';
import { httpClient } from '../../src/declarative/client.ts';
import { parseDesiredState } from '../../src/declarative/file.ts';
import { MemoryAnalytics } from '../../src/gateway/analytics.ts';
import { start, type Running } from '../../src/main.ts';
import { ManualClock } from '../../src/util/clock.ts';
import type { TestResponse } from './control-plane.ts';

export const ADMIN_TOKEN = 'ghp_test-admin-token-0123456789abcdefghijklmnop';

export interface Gatehouse {
  running: Running;
  clock: ManualClock;
  analytics: MemoryAnalytics;
  gateway: string;
  admin: string;
  /** The developer hub's origin. */
  hub: string;
  /** Calls the management API as the admin. */
  manage(method: string, path: string, body?: unknown): Promise<TestResponse>;
  close(): Promise<void>;
}

/** `env`: more settings by env var (GATEHOUSE_HUB_SIGNUP, say). */
export async function startGatehouse(options: { databaseUrl?: string; env?: Record<string, string> } = {}): Promise<Gatehouse> {
  const dataDir = mkdtempSync(join(tmpdir(), 'gatehouse-e2e-'));
  const config = loadConfig({
    env: { GATEHOUSE_DATA_DIR: dataDir, GATEHOUSE_ADMIN_TOKEN: ADMIN_TOKEN, ...(options.databaseUrl ? { DATABASE_URL: options.databaseUrl } : {}), ...options.env },
    flags: { 'gateway-port': '0', 'admin-port': '0', 'hub-port': '0', 'gateway-host': '127.0.0.1', 'hub-host': '127.0.0.1' },
  });
  const clock = new ManualClock(Date.UTC(2026, 0, 1));
  const analytics = new MemoryAnalytics();
  const running = await start({ config, clock, logRequests: false, analytics });
  return {
    running,
    clock,
    analytics,
    gateway: running.urls.gateway,
    admin: running.urls.admin,
    hub: running.urls.hub,
    async manage(method, path, body) {
      return (await fetch(`${running.urls.admin}/api/v1${path}`, {
        method,
        headers: { authorization: `Bearer ${ADMIN_TOKEN}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      })) as TestResponse;
    },
    async close() {
      await running.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Applies a declarative file (YAML, `${VAR}` from `env`) to a running Gatehouse as its admin, as `gatehouse apply` does. */
export async function applyFile(gh: Pick<Gatehouse, 'admin'>, yaml: string, env: Record<string, string | undefined> = {}): Promise<void> {
  await apply(httpClient(gh.admin, ADMIN_TOKEN), parseDesiredState(yaml, env));
}
