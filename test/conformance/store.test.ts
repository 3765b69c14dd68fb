// The store conformance suite: one behavioural suite, run against every adapter (SQLite in a temp dir, PostgreSQL in a
// fresh database), so that both stores keep the same contract (src/store/store.ts).
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ApiSpec } from '../../src/model/api.ts';
import type { PageOf } from '../../src/model/common.ts';
import { migrations as MIGRATIONS } from '../../src/store/migrations/index.ts';
import { openStore, UniqueViolation, type OpenedStore, type PageRequest, type SessionRecord, type SigningKeyRecord, type SqlStore, type UserRecord, type StoreOptions } from '../../src/store/index.ts';
import type { Database } from '../../src/store/tables.ts';
import { createTestDatabase, serviceAvailable } from '../helpers/services.ts';
import { api, app, at, auditEvent, changeEntry, credential, developer, keyValueMap, kvEntry, oauthToken, personalToken, product, revision, T0, user } from './store-fixtures.ts';

/** A new, empty database of one adapter, that can be opened any number of times. */
interface TestDatabase {
  /** What openStore needs to reach it, also from another process. */
  options: StoreOptions;
  open(): Promise<OpenedStore>;
  drop(): Promise<void>;
}

interface OpenedAdapter extends OpenedStore {
  /** The database this store is on; `database.open()` opens it a second time. */
  database: TestDatabase;
  /** Closes the store and drops its database. */
  close(): Promise<void>;
}

interface Adapter {
  name: string;
  available: boolean;
  createDatabase(): Promise<TestDatabase>;
  open(): Promise<OpenedAdapter>;
}

async function sqliteDatabase(): Promise<TestDatabase> {
  const dataDir = await mkdtemp(join(tmpdir(), 'gatehouse-conformance-'));
  return {
    options: { dataDir },
    open: () => openStore({ dataDir }),
    drop: () => rm(dataDir, { recursive: true, force: true }),
  };
}

async function postgresDatabase(): Promise<TestDatabase> {
  const database = await createTestDatabase();
  return {
    options: { databaseUrl: database.url },
    open: () => openStore({ databaseUrl: database.url }),
    drop: () => database.drop(),
  };
}

/** Opens a store on a new database; close() closes the store and drops the database. */
async function openFresh(createDatabase: () => Promise<TestDatabase>): Promise<OpenedAdapter> {
  const database = await createDatabase();
  let opened: OpenedStore;
  try {
    opened = await database.open();
  } catch (error) {
    await database.drop();
    throw error;
  }
  return {
    ...opened,
    database,
    async close() {
      try {
        await opened.store.close();
      } finally {
        await database.drop();
      }
    },
  };
}

const ADAPTERS: Adapter[] = [
  { name: 'SQLite', available: true, createDatabase: sqliteDatabase, open: () => openFresh(sqliteDatabase) },
  { name: 'PostgreSQL', available: serviceAvailable('postgres'), createDatabase: postgresDatabase, open: () => openFresh(postgresDatabase) },
];

/** Every table, children before parents, so that deleting in this order never trips a foreign key. */
const TABLES: ReadonlyArray<keyof Database> = [
  'key_value_entries',
  'key_value_maps',
  'credential_products',
  'credentials',
  'apps',
  'developers',
  'sessions',
  'personal_tokens',
  'users',
  'deployments',
  'api_revisions',
  'apis',
  'products',
  'oauth_tokens',
  'audit_events',
  'signing_keys',
  'change_log',
];

async function wipe(store: SqlStore): Promise<void> {
  for (const table of TABLES) await store.db.deleteFrom(table).execute();
}

async function rowCount(store: SqlStore, table: keyof Database): Promise<number> {
  const row = await store.db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Follows `nextCursor` from the first page to the last; returns each page's items. */
async function allPages<T>(list: (page: PageRequest) => Promise<PageOf<T>>, limit: number): Promise<T[][]> {
  const pages: T[][] = [];
  let cursor: string | undefined;
  do {
    const page = await list({ limit, cursor });
    pages.push(page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor !== undefined && pages.length < 100);
  return pages;
}

async function expectUniqueViolation(work: Promise<unknown>, constraint: string): Promise<void> {
  const error = await work.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, `expected UniqueViolation(${constraint})`).toBeInstanceOf(UniqueViolation);
  expect((error as UniqueViolation).constraint).toBe(constraint);
}

class Boom extends Error {}

interface ChildOpen {
  ready: Promise<void>;
  go(): void;
  result: Promise<{ applied?: string[]; error?: string }>;
}

/** Starts open-store-process.ts; it opens the store when go() is called and reports what it applied or its error. */
function openInChildProcess(options: StoreOptions): ChildOpen {
  const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'open-store-process.ts'), JSON.stringify(options)], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  let markReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    if (stdout.startsWith('ready\n')) markReady();
  });
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const result = new Promise<{ applied?: string[]; error?: string }>((resolve) => {
    child.on('close', (code) => {
      markReady();
      const last = stdout.trim().split('\n').pop() ?? '';
      resolve(code === 0 ? (JSON.parse(last) as { applied: string[] }) : { error: stderr.trim() || `exit ${code}` });
    });
  });
  return { ready, go: () => child.stdin.write('go\n'), result };
}

for (const adapter of ADAPTERS) {
  describe.skipIf(!adapter.available)(`${adapter.name} store`, () => {
    let opened: OpenedAdapter | undefined;
    let store: SqlStore;

    beforeAll(async () => {
      opened = await adapter.open();
      store = opened.store;
    });

    afterAll(async () => {
      await opened?.close();
    });

    describe('migrations', () => {
      it('opening a new database applies every migration', () => {
        expect(opened?.migrations.applied).toEqual(MIGRATIONS.map((m) => m.name));
      });

      it('opening the same database again applies nothing', async () => {
        const again = await opened!.database.open();
        try {
          expect(again.migrations.applied).toEqual([]);
        } finally {
          await again.store.close();
        }
      });

      it('two processes opening a new database at the same time both succeed, and the migrations are applied once', async () => {
        // Two nodes (or two `gatehouse` processes on one data dir) starting together must not both migrate.
        const database = await adapter.createDatabase();
        try {
          const children = [openInChildProcess(database.options), openInChildProcess(database.options)];
          await Promise.all(children.map((c) => c.ready));
          for (const child of children) child.go();
          const results = await Promise.all(children.map((c) => c.result));
          expect(results.map((r) => r.error)).toEqual([undefined, undefined]);
          expect(results.flatMap((r) => r.applied ?? [])).toEqual(MIGRATIONS.map((m) => m.name));
        } finally {
          await database.drop();
        }
      });

      it('the gatehouse_migrations table lists the same migration names as every other store', async () => {
        const { rows } = await sql<{ name: string }>`select name from gatehouse_migrations order by name`.execute(store.db);
        expect(rows.map((r) => r.name)).toEqual(MIGRATIONS.map((m) => m.name).sort());
      });
    });

    it('ping() resolves', async () => {
      await expect(store.ping()).resolves.toBeUndefined();
    });

    describe('with an empty store', () => {
      // Every test below starts from empty tables; the store itself stays open.
      beforeEach(async () => {
        await wipe(store);
      });

      describe('users', () => {
        it('getByEmail and getById return every field as inserted: roles, nulls, and numbers as numbers', async () => {
          const full = user('ann@example.com', { roles: ['admin', 'api-editor'], version: 7, createdAt: at(1), updatedAt: at(2) });
          const bare = user('ben@example.com', { displayName: null, passwordHash: null, roles: [], status: 'inactive' });
          await store.users.insert(full);
          await store.users.insert(bare);

          expect(await store.users.getByEmail('ann@example.com')).toEqual(full);
          expect(await store.users.getById(full.id)).toEqual(full);
          expect(await store.users.getById(bare.id)).toEqual(bare);
          const read = await store.users.getByEmail('ann@example.com');
          expect([typeof read?.version, typeof read?.createdAt, typeof read?.updatedAt]).toEqual(['number', 'number', 'number']);
        });

        it('getByEmail and getById return undefined for an unknown user', async () => {
          expect(await store.users.getByEmail('nobody@example.com')).toBeUndefined();
          expect(await store.users.getById('usr_nobody')).toBeUndefined();
        });

        it('inserting a second user with the same email throws UniqueViolation', async () => {
          await store.users.insert(user('ann@example.com'));
          await expectUniqueViolation(store.users.insert(user('ann@example.com', { id: 'usr_other' })), 'users.email');
          expect(await store.users.getById('usr_other')).toBeUndefined();
        });

        it('update with a stale expectedVersion returns false and changes nothing', async () => {
          const original = user('ann@example.com', { version: 2 });
          await store.users.insert(original);
          const changed = { ...original, displayName: 'Changed', roles: ['admin' as const], version: 3, updatedAt: at(5) };

          expect(await store.users.update(changed, 1)).toBe(false);
          expect(await store.users.getById(original.id)).toEqual(original);
        });

        it('update with the current expectedVersion returns true and saves every change', async () => {
          const original = user('ann@example.com', { version: 2 });
          await store.users.insert(original);
          const changed = { ...original, displayName: null, passwordHash: 'scrypt$new', roles: ['admin' as const], status: 'inactive' as const, version: 3, updatedAt: at(5) };

          expect(await store.users.update(changed, 2)).toBe(true);
          expect(await store.users.getById(original.id)).toEqual(changed);
        });

        it('list pages through users in email order, limit at a time, until nextCursor is null', async () => {
          for (const name of ['erin', 'alice', 'dave', 'bob', 'carol']) await store.users.insert(user(`${name}@example.com`));

          const pages = await allPages((page) => store.users.list(page), 2);
          expect(pages.map((p) => p.map((u) => u.email))).toEqual([
            ['alice@example.com', 'bob@example.com'],
            ['carol@example.com', 'dave@example.com'],
            ['erin@example.com'],
          ]);
        });

        it('list gives no next cursor when the page ends exactly at the last user', async () => {
          for (const name of ['alice', 'bob']) await store.users.insert(user(`${name}@example.com`));
          const page = await store.users.list({ limit: 2 });
          expect(page.items).toHaveLength(2);
          expect(page.nextCursor).toBeNull();
        });

        it('countActiveAdmins counts active admins only, ignoring inactive users and non-admins', async () => {
          await store.users.insert(user('a@example.com', { roles: ['admin'] }));
          await store.users.insert(user('b@example.com', { roles: ['viewer', 'admin'] }));
          await store.users.insert(user('c@example.com', { roles: ['admin'], status: 'inactive' }));
          await store.users.insert(user('d@example.com', { roles: ['api-editor', 'viewer'] }));
          await store.users.insert(user('e@example.com', { roles: [] }));

          expect(await store.users.countActiveAdmins()).toBe(2);
        });

        it('delete removes the user and returns true; deleting again returns false', async () => {
          const ann = user('ann@example.com');
          await store.users.insert(ann);

          expect(await store.users.delete(ann.id)).toBe(true);
          expect(await store.users.getById(ann.id)).toBeUndefined();
          expect(await store.users.delete(ann.id)).toBe(false);
        });
      });

      describe('sessions', () => {
        const ann = user('ann@example.com');
        const ben = user('ben@example.com');
        const session = (owner: UserRecord, name: string, expiresAt: number): SessionRecord => ({
          id: `ses_${name}`,
          userId: owner.id,
          tokenHash: `hash_${name}`,
          surface: name.startsWith('hub') ? 'hub' : 'console',
          tokenId: null,
          createdAt: at(0),
          expiresAt,
        });

        beforeEach(async () => {
          await store.users.insert(ann);
          await store.users.insert(ben);
        });

        it('getByHash returns the session as inserted; deleteByHash ends it once', async () => {
          const console1 = session(ann, 'console1', at(60));
          const hub1 = session(ann, 'hub1', at(60));
          await store.sessions.insert(console1);
          await store.sessions.insert(hub1);

          expect(await store.sessions.getByHash(console1.tokenHash)).toEqual(console1);
          expect(await store.sessions.getByHash(hub1.tokenHash)).toEqual(hub1);
          expect(await store.sessions.getByHash('hash_unknown')).toBeUndefined();
          expect(await store.sessions.deleteByHash(console1.tokenHash)).toBe(true);
          expect(await store.sessions.deleteByHash(console1.tokenHash)).toBe(false);
          expect(await store.sessions.getByHash(hub1.tokenHash)).toEqual(hub1);
        });

        it("deleteForUser ends only that user's sessions; deleting the user ends them too", async () => {
          await store.sessions.insert(session(ann, 'a1', at(60)));
          await store.sessions.insert(session(ann, 'a2', at(60)));
          await store.sessions.insert(session(ben, 'b1', at(60)));

          expect(await store.sessions.deleteForUser(ann.id)).toBe(2);
          expect(await store.sessions.getByHash('hash_a1')).toBeUndefined();
          expect(await store.sessions.getByHash('hash_b1')).toBeDefined();
          await store.users.delete(ben.id);
          expect(await store.sessions.getByHash('hash_b1')).toBeUndefined();
        });

        it('ends a session opened with a personal access token when that token is deleted', async () => {
          const pat = personalToken(ann, 'console-login');
          await store.personalTokens.insert(pat);
          await store.sessions.insert({ ...session(ann, 'viaToken', at(60)), tokenId: pat.id });
          await store.sessions.insert(session(ann, 'byPassword', at(60)));
          expect((await store.sessions.getByHash('hash_viaToken'))?.tokenId).toBe(pat.id);

          expect(await store.personalTokens.delete(ann.id, pat.id)).toBe(true);
          expect(await store.sessions.getByHash('hash_viaToken')).toBeUndefined();
          expect(await store.sessions.getByHash('hash_byPassword')).toBeDefined();
        });

        it('deleteExpired removes sessions that expired before the time given', async () => {
          await store.sessions.insert(session(ann, 'old', at(10)));
          await store.sessions.insert(session(ann, 'new', at(30)));

          expect(await store.sessions.deleteExpired(at(20))).toBe(1);
          expect(await store.sessions.getByHash('hash_old')).toBeUndefined();
          expect(await store.sessions.getByHash('hash_new')).toBeDefined();
        });
      });

      describe('signing keys', () => {
        const key = (kid: string, createdAt: number): SigningKeyRecord => ({
          kid,
          alg: 'ES256',
          publicJwk: { kty: 'EC', crv: 'P-256', x: `x-${kid}`, y: `y-${kid}` },
          privateKey: `v1:ciphertext-of-${kid}`,
          createdAt,
          activatesAt: createdAt,
          retiresAt: null,
          expiresAt: null,
        });

        it('lists keys oldest first, as inserted', async () => {
          const second = key('k2', at(2));
          const first = key('k1', at(1));
          await store.signingKeys.insert(second);
          await store.signingKeys.insert(first);
          expect(await store.signingKeys.list()).toEqual([first, second]);
        });

        it('retire sets when a key stops signing and leaves the JWKS; deleteExpired removes it afterwards', async () => {
          await store.signingKeys.insert(key('old', at(1)));
          await store.signingKeys.insert(key('new', at(2)));
          expect(await store.signingKeys.retire('old', at(3), at(10))).toBe(true);
          expect(await store.signingKeys.retire('missing', at(3), at(10))).toBe(false);
          expect((await store.signingKeys.list())[0]).toMatchObject({ kid: 'old', retiresAt: at(3), expiresAt: at(10) });

          expect(await store.signingKeys.deleteExpired(at(10))).toBe(0);
          expect(await store.signingKeys.deleteExpired(at(11))).toBe(1);
          expect((await store.signingKeys.list()).map((k) => k.kid)).toEqual(['new']);
        });
      });

      describe('personal tokens', () => {
        const ann = user('ann@example.com');
        const ben = user('ben@example.com');

        beforeEach(async () => {
          await store.users.insert(ann);
          await store.users.insert(ben);
        });

        it('getByHash returns the token as inserted, with or without an expiry', async () => {
          const forever = personalToken(ann, 'ci');
          const expiring = personalToken(ann, 'laptop', { createdAt: at(1), expiresAt: at(60 * 24) });
          await store.personalTokens.insert(forever);
          await store.personalTokens.insert(expiring);

          expect(await store.personalTokens.getByHash(forever.tokenHash)).toEqual(forever);
          expect(await store.personalTokens.getByHash(expiring.tokenHash)).toEqual(expiring);
          expect(await store.personalTokens.getByHash('hash_unknown')).toBeUndefined();
        });

        it("listForUser returns only that user's tokens, oldest first", async () => {
          const second = personalToken(ann, 'second', { createdAt: at(2) });
          const first = personalToken(ann, 'first', { createdAt: at(1) });
          await store.personalTokens.insert(second);
          await store.personalTokens.insert(first);
          await store.personalTokens.insert(personalToken(ben, 'bens'));

          expect(await store.personalTokens.listForUser(ann.id)).toEqual([first, second]);
        });

        it("delete is scoped to the owner: another user's id cannot delete the token", async () => {
          const token = personalToken(ann, 'ci');
          await store.personalTokens.insert(token);

          expect(await store.personalTokens.delete(ben.id, token.id)).toBe(false);
          expect(await store.personalTokens.getByHash(token.tokenHash)).toEqual(token);
          expect(await store.personalTokens.delete(ann.id, token.id)).toBe(true);
          expect(await store.personalTokens.getByHash(token.tokenHash)).toBeUndefined();
        });

        it("deleteByName deletes the owner's tokens of that name and counts them, leaving other users' alone", async () => {
          await store.personalTokens.insert(personalToken(ann, 'ci', { id: 'pat_1' }));
          await store.personalTokens.insert(personalToken(ann, 'ci', { id: 'pat_2' }));
          await store.personalTokens.insert(personalToken(ann, 'laptop'));
          await store.personalTokens.insert(personalToken(ben, 'ci'));

          expect(await store.personalTokens.deleteByName(ann.id, 'ci')).toBe(2);
          expect((await store.personalTokens.listForUser(ann.id)).map((t) => t.name)).toEqual(['laptop']);
          expect((await store.personalTokens.listForUser(ben.id)).map((t) => t.name)).toEqual(['ci']);
          expect(await store.personalTokens.deleteByName(ann.id, 'ci')).toBe(0);
        });

        it("deleting a user deletes the user's tokens", async () => {
          const token = personalToken(ann, 'ci');
          await store.personalTokens.insert(token);

          await store.users.delete(ann.id);
          expect(await store.personalTokens.getByHash(token.tokenHash)).toBeUndefined();
          expect(await store.personalTokens.listForUser(ann.id)).toEqual([]);
        });
      });

      describe('apis', () => {
        it('insert stores the API with its first revision', async () => {
          const { api: weather, first } = api('weather');
          await store.apis.insert(weather, first);

          expect(await store.apis.get('weather')).toEqual(weather);
          expect(await store.apis.getRevision(weather.id, 1)).toEqual(first);
          expect(await store.apis.get('unknown')).toBeUndefined();
          expect(await store.apis.getRevision(weather.id, 2)).toBeUndefined();
        });

        it('inserting a second API with the same name throws UniqueViolation', async () => {
          const { api: weather, first } = api('weather');
          await store.apis.insert(weather, first);
          const again = { ...weather, id: 'api_other' };
          await expectUniqueViolation(store.apis.insert(again, { ...first, apiId: again.id }), 'apis.name');
        });

        it('a revision spec round-trips deeply: nested flows, config objects, nulls, unicode', async () => {
          const spec: Partial<ApiSpec> = {
            displayName: 'Météo ☀️ "quoted" \\ backslash',
            description: 'line one\nline two\ttabbed',
            target: { url: 'https://weather.internal.example/v2', connectTimeoutMs: 2500, timeoutMs: 30_000, tls: { rejectUnauthorized: false } },
            preFlow: {
              request: [
                { policy: 'oauth-v2', name: 'verify', config: { operation: 'verify', scopes: ['read', 'write'], deep: { n: 1.5, none: null, yes: true, list: [1, 'two', { three: 3 }] } } },
              ],
              response: [],
            },
            flows: [{ name: 'forecast', condition: 'request.verb = "GET" and proxy.pathsuffix MatchesPath "/forecast/**"', request: [{ policy: 'quota', continueOnError: true, config: { limit: 10 } }] }],
            postFlow: { response: [{ policy: 'assign-message', config: { set: { headers: { 'x-served-by': 'gatehouse' } } } }] },
            faultRules: [{ name: 'quota-exceeded', condition: 'fault.name = "QuotaViolation"', steps: [{ policy: 'raise-fault', config: { statusCode: 429 } }] }],
            defaultFaultRule: { steps: [], alwaysEnforce: true },
            faultFormat: 'apigee',
            openapi: { openapi: '3.0.3', info: { title: 'Weather', version: '2' }, paths: { '/forecast': { get: { responses: { '200': { description: 'ok' } } } } } },
          };
          const { api: weather, first } = api('weather', spec);
          await store.apis.insert(weather, first);

          const read = await store.apis.getRevision(weather.id, 1);
          expect(read?.spec).toStrictEqual(first.spec);
        });

        it('addRevision succeeds with the current expectedLatest and fails, adding nothing, with a stale one', async () => {
          const { api: weather, first } = api('weather');
          await store.apis.insert(weather, first);
          const second = revision(weather, 2, { description: 'second' });

          expect(await store.apis.addRevision(second, 1)).toBe(true);
          expect(await store.apis.get('weather')).toEqual({ ...weather, latestRevision: 2, updatedAt: second.createdAt });
          expect(await store.apis.getRevision(weather.id, 2)).toEqual(second);

          const stale = revision(weather, 3, { description: 'stale' });
          expect(await store.apis.addRevision(stale, 1)).toBe(false);
          expect((await store.apis.get('weather'))?.latestRevision).toBe(2);
          expect(await store.apis.getRevision(weather.id, 3)).toBeUndefined();
        });

        it('of two concurrent addRevision calls with the same expectedLatest, exactly one succeeds', async () => {
          const { api: weather, first } = api('weather');
          await store.apis.insert(weather, first);
          const mine = revision(weather, 2, { description: 'mine' });
          const theirs = revision(weather, 2, { description: 'theirs' });

          const results = await Promise.all([store.apis.addRevision(mine, 1), store.apis.addRevision(theirs, 1)]);

          expect(results.filter(Boolean)).toHaveLength(1);
          const winner = results[0] ? mine : theirs;
          expect((await store.apis.get('weather'))?.latestRevision).toBe(2);
          expect(await store.apis.listRevisions(weather.id)).toEqual([first, winner]);
        });

        it('listRevisions returns every revision in order', async () => {
          const { api: weather, first } = api('weather');
          await store.apis.insert(weather, first);
          const revisions = [first];
          for (let n = 2; n <= 4; n++) {
            const next = revision(weather, n, { description: `revision ${n}` });
            expect(await store.apis.addRevision(next, n - 1)).toBe(true);
            revisions.push(next);
          }

          expect(await store.apis.listRevisions(weather.id)).toEqual(revisions);
          expect(await store.apis.listRevisions('api_unknown')).toEqual([]);
        });

        it('list pages through APIs in name order', async () => {
          for (const name of ['maps', 'alerts', 'weather']) {
            const { api: a, first } = api(name);
            await store.apis.insert(a, first);
          }
          const pages = await allPages((page) => store.apis.list(page), 2);
          expect(pages.map((p) => p.map((a) => a.name))).toEqual([['alerts', 'maps'], ['weather']]);
        });

        it('deploy makes a revision visible to getDeployment, getDeploymentByBasePath and listDeployments', async () => {
          const { api: weather, first } = api('weather');
          const { api: alerts, first: alertsFirst } = api('alerts');
          await store.apis.insert(weather, first);
          await store.apis.insert(alerts, alertsFirst);

          await store.apis.deploy({ apiId: weather.id, revision: 1, basePath: '/weather', deployedAt: at(10), deployedBy: 'ann@example.com' });
          await store.apis.deploy({ apiId: alerts.id, revision: 1, basePath: '/alerts', deployedAt: at(11), deployedBy: 'ben@example.com' });

          const expected = { apiId: weather.id, apiName: 'weather', revision: 1, basePath: '/weather', deployedAt: at(10), deployedBy: 'ann@example.com' };
          expect(await store.apis.getDeployment(weather.id)).toEqual(expected);
          expect(await store.apis.getDeploymentByBasePath('/weather')).toEqual(expected);
          expect(await store.apis.getDeploymentByBasePath('/nowhere')).toBeUndefined();
          expect((await store.apis.listDeployments()).map((d) => [d.apiName, d.basePath])).toEqual([
            ['alerts', '/alerts'],
            ['weather', '/weather'],
          ]);
        });

        it('deploying an API again replaces its deployment (revision, base path, time and deployer)', async () => {
          const { api: weather, first } = api('weather');
          await store.apis.insert(weather, first);
          await store.apis.addRevision(revision(weather, 2, { basePath: '/weather/v2' }), 1);
          await store.apis.deploy({ apiId: weather.id, revision: 1, basePath: '/weather', deployedAt: at(10), deployedBy: 'ann@example.com' });

          await store.apis.deploy({ apiId: weather.id, revision: 2, basePath: '/weather/v2', deployedAt: at(20), deployedBy: 'ben@example.com' });

          const expected = { apiId: weather.id, apiName: 'weather', revision: 2, basePath: '/weather/v2', deployedAt: at(20), deployedBy: 'ben@example.com' };
          expect(await store.apis.getDeployment(weather.id)).toEqual(expected);
          expect(await store.apis.getDeploymentByBasePath('/weather')).toBeUndefined();
          expect(await store.apis.listDeployments()).toEqual([expected]);
        });

        it('deploying a second API on a base path that is taken throws UniqueViolation and changes nothing', async () => {
          const { api: weather, first } = api('weather', { basePath: '/shared' });
          const { api: maps, first: mapsFirst } = api('maps', { basePath: '/shared' });
          await store.apis.insert(weather, first);
          await store.apis.insert(maps, mapsFirst);
          await store.apis.deploy({ apiId: weather.id, revision: 1, basePath: '/shared', deployedAt: at(10), deployedBy: 'ann@example.com' });

          await expectUniqueViolation(
            store.apis.deploy({ apiId: maps.id, revision: 1, basePath: '/shared', deployedAt: at(11), deployedBy: 'ben@example.com' }),
            'deployments.base_path',
          );
          expect(await store.apis.getDeployment(maps.id)).toBeUndefined();
          expect((await store.apis.getDeploymentByBasePath('/shared'))?.apiName).toBe('weather');
        });

        it('redeploying a deployed API onto a base path another API holds throws UniqueViolation and keeps its old deployment', async () => {
          const { api: weather, first } = api('weather');
          const { api: maps, first: mapsFirst } = api('maps');
          await store.apis.insert(weather, first);
          await store.apis.insert(maps, mapsFirst);
          await store.apis.deploy({ apiId: weather.id, revision: 1, basePath: '/weather', deployedAt: at(10), deployedBy: 'ann@example.com' });
          await store.apis.deploy({ apiId: maps.id, revision: 1, basePath: '/maps', deployedAt: at(11), deployedBy: 'ann@example.com' });

          await expectUniqueViolation(
            store.apis.deploy({ apiId: maps.id, revision: 1, basePath: '/weather', deployedAt: at(12), deployedBy: 'ben@example.com' }),
            'deployments.base_path',
          );
          expect((await store.apis.getDeployment(maps.id))?.basePath).toBe('/maps');
          expect((await store.apis.getDeploymentByBasePath('/weather'))?.apiName).toBe('weather');
        });

        it('undeploy removes the deployment and returns true; undeploying again returns false', async () => {
          const { api: weather, first } = api('weather');
          await store.apis.insert(weather, first);
          await store.apis.deploy({ apiId: weather.id, revision: 1, basePath: '/weather', deployedAt: at(10), deployedBy: 'ann@example.com' });

          expect(await store.apis.undeploy(weather.id)).toBe(true);
          expect(await store.apis.getDeployment(weather.id)).toBeUndefined();
          expect(await store.apis.getDeploymentByBasePath('/weather')).toBeUndefined();
          expect(await store.apis.listDeployments()).toEqual([]);
          expect(await store.apis.undeploy(weather.id)).toBe(false);
        });

        it('delete removes the API with its revisions and its deployment, freeing the base path', async () => {
          const { api: weather, first } = api('weather');
          await store.apis.insert(weather, first);
          await store.apis.addRevision(revision(weather, 2), 1);
          await store.apis.deploy({ apiId: weather.id, revision: 2, basePath: '/weather', deployedAt: at(10), deployedBy: 'ann@example.com' });

          expect(await store.apis.delete(weather.id)).toBe(true);
          expect(await store.apis.get('weather')).toBeUndefined();
          expect(await store.apis.listRevisions(weather.id)).toEqual([]);
          expect(await store.apis.getDeployment(weather.id)).toBeUndefined();
          expect(await rowCount(store, 'api_revisions')).toBe(0);
          expect(await rowCount(store, 'deployments')).toBe(0);
          expect(await store.apis.delete(weather.id)).toBe(false);

          const { api: successor, first: successorFirst } = api('successor', { basePath: '/weather' });
          await store.apis.insert(successor, successorFirst);
          await store.apis.deploy({ apiId: successor.id, revision: 1, basePath: '/weather', deployedAt: at(11), deployedBy: 'ann@example.com' });
          expect((await store.apis.getDeploymentByBasePath('/weather'))?.apiName).toBe('successor');
        });
      });

      describe('products', () => {
        it('get returns the product as inserted, spec and all', async () => {
          const gold = product('gold', {
            spec: {
              name: 'gold',
              apis: ['weather', { name: 'maps', resources: [{ path: '/tiles/**', methods: ['GET', 'HEAD'] }] }],
              scopes: ['read', 'write'],
              quota: { limit: 1000, interval: 1, timeUnit: 'day' },
              approval: 'manual',
              visibility: 'private',
              published: true,
              attributes: { tier: 'gold' },
            },
            version: 3,
            createdAt: at(1),
            updatedAt: at(2),
          });
          await store.products.insert(gold);

          expect(await store.products.get('gold')).toEqual(gold);
          expect(await store.products.get('silver')).toBeUndefined();
        });

        it('inserting a second product with the same name throws UniqueViolation', async () => {
          await store.products.insert(product('gold'));
          await expectUniqueViolation(store.products.insert(product('gold', { id: 'prd_other' })), 'products.name');
        });

        it('list pages through products in name order; listAll returns them all in name order', async () => {
          for (const name of ['silver', 'bronze', 'platinum', 'gold']) await store.products.insert(product(name));

          const pages = await allPages((page) => store.products.list(page), 3);
          expect(pages.map((p) => p.map((x) => x.name))).toEqual([['bronze', 'gold', 'platinum'], ['silver']]);
          expect((await store.products.listAll()).map((x) => x.name)).toEqual(['bronze', 'gold', 'platinum', 'silver']);
        });

        it('update saves with the current expectedVersion and refuses a stale one', async () => {
          const gold = product('gold');
          await store.products.insert(gold);
          const changed = { ...gold, spec: { ...gold.spec, description: 'shiny', published: true }, version: 2, updatedAt: at(5) };

          expect(await store.products.update(changed, 5)).toBe(false);
          expect(await store.products.get('gold')).toEqual(gold);
          expect(await store.products.update(changed, 1)).toBe(true);
          expect(await store.products.get('gold')).toEqual(changed);
        });

        it('delete removes the product and returns true; deleting again returns false', async () => {
          const gold = product('gold');
          await store.products.insert(gold);

          expect(await store.products.delete(gold.id)).toBe(true);
          expect(await store.products.get('gold')).toBeUndefined();
          expect(await store.products.delete(gold.id)).toBe(false);
        });
      });

      describe('developers', () => {
        it('getByEmail and getById return the developer as inserted, spec and all', async () => {
          const dana = developer('dana@example.com', {
            spec: { email: 'dana@example.com', firstName: 'Dana', lastName: 'Ødegård', userName: 'dana', attributes: { team: 'maps', tier: '' } },
            status: 'inactive',
            version: 4,
            createdAt: at(1),
            updatedAt: at(2),
          });
          await store.developers.insert(dana);

          expect(await store.developers.getByEmail('dana@example.com')).toEqual(dana);
          expect(await store.developers.getById(dana.id)).toEqual(dana);
          expect(await store.developers.getByEmail('nobody@example.com')).toBeUndefined();
          expect(await store.developers.getById('dev_nobody')).toBeUndefined();
        });

        it("getByUserId finds the developer linked to a user, and nothing for a user who has none", async () => {
          const ann = user('ann@example.com', { roles: ['developer'] });
          const ben = user('ben@example.com');
          await store.users.insert(ann);
          await store.users.insert(ben);
          const dana = developer('ann@example.com', { userId: ann.id });
          await store.developers.insert(dana);

          expect(await store.developers.getByUserId(ann.id)).toEqual(dana);
          expect(await store.developers.getByUserId(ben.id)).toBeUndefined();
        });

        it('deleting the linked user keeps the developer and unlinks it', async () => {
          const ann = user('ann@example.com');
          await store.users.insert(ann);
          const dana = developer('ann@example.com', { userId: ann.id });
          await store.developers.insert(dana);

          await store.users.delete(ann.id);
          expect(await store.developers.getById(dana.id)).toEqual({ ...dana, userId: null });
        });

        it('inserting a second developer with the same email throws UniqueViolation', async () => {
          await store.developers.insert(developer('dana@example.com'));
          await expectUniqueViolation(store.developers.insert(developer('dana@example.com', { id: 'dev_other' })), 'developers.email');
        });

        it('list pages through developers in email order', async () => {
          for (const name of ['erin', 'alice', 'carol', 'bob']) await store.developers.insert(developer(`${name}@example.com`));

          const pages = await allPages((page) => store.developers.list(page), 2);
          expect(pages.map((p) => p.map((d) => d.email))).toEqual([
            ['alice@example.com', 'bob@example.com'],
            ['carol@example.com', 'erin@example.com'],
          ]);
        });

        it('update saves with the current expectedVersion and refuses a stale one', async () => {
          const ann = user('ann@example.com');
          await store.users.insert(ann);
          const dana = developer('dana@example.com');
          await store.developers.insert(dana);
          const changed = { ...dana, spec: { ...dana.spec, lastName: 'Changed' }, status: 'inactive' as const, userId: ann.id, version: 2, updatedAt: at(5) };

          expect(await store.developers.update(changed, 2)).toBe(false);
          expect(await store.developers.getById(dana.id)).toEqual(dana);
          expect(await store.developers.update(changed, 1)).toBe(true);
          expect(await store.developers.getById(dana.id)).toEqual(changed);
        });

        it('delete removes the developer and returns true; deleting again returns false', async () => {
          const dana = developer('dana@example.com');
          await store.developers.insert(dana);

          expect(await store.developers.delete(dana.id)).toBe(true);
          expect(await store.developers.getById(dana.id)).toBeUndefined();
          expect(await store.developers.delete(dana.id)).toBe(false);
        });
      });

      describe('apps and credentials', () => {
        const dana = developer('dana@example.com');
        const erin = developer('erin@example.com');

        beforeEach(async () => {
          await store.developers.insert(dana);
          await store.developers.insert(erin);
        });

        it('get and getById return the app as inserted, spec and all', async () => {
          const mobile = app(dana, 'mobile', {
            spec: { name: 'mobile', displayName: 'Mobile', callbackUrls: ['com.example.app:/callback'], products: ['gold'], allowPasswordGrant: true, attributes: { os: 'ios' } },
            status: 'revoked',
            version: 2,
            createdAt: at(1),
            updatedAt: at(2),
          });
          await store.apps.insert(mobile);

          expect(await store.apps.get(dana.id, 'mobile')).toEqual(mobile);
          expect(await store.apps.getById(mobile.id)).toEqual(mobile);
          expect(await store.apps.get(erin.id, 'mobile')).toBeUndefined();
        });

        it('an app name is unique per developer: the same name under another developer is fine', async () => {
          await store.apps.insert(app(dana, 'mobile'));
          await store.apps.insert(app(erin, 'mobile'));

          await expectUniqueViolation(store.apps.insert(app(dana, 'mobile', { id: 'app_other' })), 'apps.developer_name');
          expect((await store.apps.get(erin.id, 'mobile'))?.developerId).toBe(erin.id);
        });

        it("listForDeveloper pages through one developer's apps in name order; namesForDeveloper lists their names", async () => {
          for (const name of ['web', 'cli', 'mobile']) await store.apps.insert(app(dana, name));
          await store.apps.insert(app(erin, 'batch'));

          const pages = await allPages((page) => store.apps.listForDeveloper(dana.id, page), 2);
          expect(pages.map((p) => p.map((a) => a.name))).toEqual([['cli', 'mobile'], ['web']]);
          expect(await store.apps.namesForDeveloper(dana.id)).toEqual(['cli', 'mobile', 'web']);
          expect(await store.apps.namesForDeveloper('dev_nobody')).toEqual([]);
        });

        it('app update saves with the current expectedVersion and refuses a stale one', async () => {
          const mobile = app(dana, 'mobile');
          await store.apps.insert(mobile);
          const changed = { ...mobile, spec: { ...mobile.spec, description: 'changed' }, status: 'revoked' as const, version: 2, updatedAt: at(5) };

          expect(await store.apps.update(changed, 3)).toBe(false);
          expect(await store.apps.getById(mobile.id)).toEqual(mobile);
          expect(await store.apps.update(changed, 1)).toBe(true);
          expect(await store.apps.getById(mobile.id)).toEqual(changed);
        });

        it('a credential round-trips with its products and their statuses (getByClientId, listForApp)', async () => {
          const mobile = app(dana, 'mobile');
          await store.apps.insert(mobile);
          const key = credential(mobile, 'client-0001', {
            issuedAt: at(1),
            expiresAt: at(60 * 24 * 365),
            products: [
              { name: 'bronze', status: 'approved' },
              { name: 'gold', status: 'pending' },
              { name: 'silver', status: 'revoked' },
            ],
          });
          const bare = credential(mobile, 'client-0002', { issuedAt: at(2) });
          await store.credentials.insert(key);
          await store.credentials.insert(bare);

          expect(await store.credentials.getByClientId('client-0001')).toEqual(key);
          expect(await store.credentials.getByClientId('client-0002')).toEqual(bare);
          expect(await store.credentials.getByClientId('client-none')).toBeUndefined();
          expect(await store.credentials.listForApp(mobile.id)).toEqual([key, bare]);
        });

        it('a client id is unique across all apps: reusing it throws UniqueViolation', async () => {
          const mobile = app(dana, 'mobile');
          const batch = app(erin, 'batch');
          await store.apps.insert(mobile);
          await store.apps.insert(batch);
          await store.credentials.insert(credential(mobile, 'client-0001'));

          await expectUniqueViolation(store.credentials.insert(credential(batch, 'client-0001', { id: 'crd_other' })), 'credentials.client_id');
          expect(await store.credentials.listForApp(batch.id)).toEqual([]);
        });

        it('setProducts replaces the product list, down to none', async () => {
          const mobile = app(dana, 'mobile');
          await store.apps.insert(mobile);
          const key = credential(mobile, 'client-0001', { products: [{ name: 'bronze', status: 'approved' }, { name: 'gold', status: 'pending' }] });
          await store.credentials.insert(key);

          const replaced = [
            { name: 'gold', status: 'approved' as const },
            { name: 'silver', status: 'pending' as const },
          ];
          await store.credentials.setProducts(key.id, replaced);
          expect((await store.credentials.getByClientId('client-0001'))?.products).toEqual(replaced);

          await store.credentials.setProducts(key.id, []);
          expect((await store.credentials.getByClientId('client-0001'))?.products).toEqual([]);
        });

        it('setStatus and setSecretHash change only that credential', async () => {
          const mobile = app(dana, 'mobile');
          await store.apps.insert(mobile);
          const key = credential(mobile, 'client-0001', { products: [{ name: 'gold', status: 'approved' }] });
          const other = credential(mobile, 'client-0002');
          await store.credentials.insert(key);
          await store.credentials.insert(other);

          await store.credentials.setStatus(key.id, 'revoked');
          await store.credentials.setSecretHash(key.id, 'secret_rotated');

          expect(await store.credentials.getByClientId('client-0001')).toEqual({ ...key, status: 'revoked', secretHash: 'secret_rotated' });
          expect(await store.credentials.getByClientId('client-0002')).toEqual(other);
        });

        it('delete removes the credential and returns true; deleting again returns false', async () => {
          const mobile = app(dana, 'mobile');
          await store.apps.insert(mobile);
          const key = credential(mobile, 'client-0001', { products: [{ name: 'gold', status: 'approved' }] });
          await store.credentials.insert(key);

          expect(await store.credentials.delete(key.id)).toBe(true);
          expect(await store.credentials.getByClientId('client-0001')).toBeUndefined();
          expect(await rowCount(store, 'credential_products')).toBe(0);
          expect(await store.credentials.delete(key.id)).toBe(false);
        });

        it('appsSubscribedTo returns "email/app" for every app with a credential carrying the product, once each, in order', async () => {
          const mobile = app(dana, 'mobile');
          const web = app(dana, 'web');
          const batch = app(erin, 'batch');
          const unrelated = app(erin, 'unrelated');
          for (const a of [mobile, web, batch, unrelated]) await store.apps.insert(a);
          const gold = [{ name: 'gold', status: 'approved' as const }];
          await store.credentials.insert(credential(web, 'client-web-1', { products: gold }));
          await store.credentials.insert(credential(mobile, 'client-mobile-1', { products: gold }));
          await store.credentials.insert(credential(mobile, 'client-mobile-2', { products: [{ name: 'gold', status: 'pending' }] }));
          await store.credentials.insert(credential(batch, 'client-batch-1', { products: [{ name: 'gold', status: 'revoked' }] }));
          await store.credentials.insert(credential(unrelated, 'client-unrelated', { products: [{ name: 'silver', status: 'approved' }] }));

          expect(await store.credentials.appsSubscribedTo('gold')).toEqual(['dana@example.com/mobile', 'dana@example.com/web', 'erin@example.com/batch']);
          expect(await store.credentials.appsSubscribedTo('platinum')).toEqual([]);
        });

        it('deleting a developer deletes their apps, credentials and credential products, and no one else\'s', async () => {
          const mobile = app(dana, 'mobile');
          const batch = app(erin, 'batch');
          await store.apps.insert(mobile);
          await store.apps.insert(batch);
          await store.credentials.insert(credential(mobile, 'client-0001', { products: [{ name: 'gold', status: 'approved' }, { name: 'silver', status: 'approved' }] }));
          await store.credentials.insert(credential(batch, 'client-0002', { products: [{ name: 'gold', status: 'approved' }] }));

          expect(await store.developers.delete(dana.id)).toBe(true);

          expect(await store.apps.getById(mobile.id)).toBeUndefined();
          expect(await store.credentials.getByClientId('client-0001')).toBeUndefined();
          expect(await store.credentials.appsSubscribedTo('gold')).toEqual(['erin@example.com/batch']);
          expect(await store.credentials.appsSubscribedTo('silver')).toEqual([]);
          expect(await rowCount(store, 'apps')).toBe(1);
          expect(await rowCount(store, 'credentials')).toBe(1);
          expect(await rowCount(store, 'credential_products')).toBe(1);
        });
      });

      describe('oauth tokens', () => {
        it('getByHash returns the token as inserted: products array, attributes object, nulls', async () => {
          const refresh = oauthToken('tok_full', {
            kind: 'refresh',
            clientId: 'client-0001',
            products: ['gold', 'silver'],
            scope: 'read write',
            grantType: 'authorization_code',
            endUser: 'alice',
            issuedAt: at(1),
            expiresAt: at(60 * 24 * 30),
            revokedAt: at(2),
            familyId: 'fam_1',
            attributes: { tier: 'gold', 'x.note': 'ünïcode "quoted"' },
          });
          const code = oauthToken('tok_bare', { kind: 'code', expiresAt: null });
          await store.oauthTokens.insert(refresh);
          await store.oauthTokens.insert(code);

          expect(await store.oauthTokens.getByHash(refresh.tokenHash)).toEqual(refresh);
          expect(await store.oauthTokens.getByHash(code.tokenHash)).toEqual(code);
          expect(await store.oauthTokens.getByHash('hash_unknown')).toBeUndefined();
        });

        it('writes inserts that arrive together as one group, and a duplicate in the group fails alone', async () => {
          const many = Array.from({ length: 40 }, (_, i) => oauthToken(`grouped_${i}`));
          const duplicate = { ...oauthToken('grouped_dup'), tokenHash: (many[7] as (typeof many)[number]).tokenHash };
          const results = await Promise.allSettled([...many, duplicate].map((t) => store.oauthTokens.insert(t)));
          expect(results.slice(0, 40).every((r) => r.status === 'fulfilled')).toBe(true);
          const last = results[40] as PromiseRejectedResult;
          expect(last.status).toBe('rejected');
          expect(last.reason).toBeInstanceOf(UniqueViolation);
          for (const t of many) expect(await store.oauthTokens.getByHash(t.tokenHash)).toEqual(t);
          expect(await rowCount(store, 'oauth_tokens')).toBe(40);
        });

        it('listRevokedAccess lists revoked access tokens that have not expired, and nothing else', async () => {
          await store.oauthTokens.insert(oauthToken('live'));
          await store.oauthTokens.insert(oauthToken('revoked', { revokedAt: at(1), expiresAt: at(60) }));
          await store.oauthTokens.insert(oauthToken('forever', { revokedAt: at(1), expiresAt: null }));
          await store.oauthTokens.insert(oauthToken('expired', { revokedAt: at(1), expiresAt: at(10) }));
          await store.oauthTokens.insert(oauthToken('refresh', { kind: 'refresh', revokedAt: at(1), expiresAt: at(60) }));

          const listed = await store.oauthTokens.listRevokedAccess(at(10));
          expect(listed.sort((a, b) => a.tokenHash.localeCompare(b.tokenHash))).toEqual([
            { tokenHash: 'hash_forever', expiresAt: null },
            { tokenHash: 'hash_revoked', expiresAt: at(60) },
          ]);
        });

        it('listRevokedAccessSince lists access tokens revoked at or after a time and not expired, oldest revocation first', async () => {
          await store.oauthTokens.insert(oauthToken('live'));
          await store.oauthTokens.insert(oauthToken('before', { revokedAt: at(4), expiresAt: at(60) }));
          await store.oauthTokens.insert(oauthToken('later', { revokedAt: at(7), expiresAt: null }));
          await store.oauthTokens.insert(oauthToken('at_since', { revokedAt: at(5), expiresAt: at(60) }));
          await store.oauthTokens.insert(oauthToken('expired', { revokedAt: at(6), expiresAt: at(10) }));
          await store.oauthTokens.insert(oauthToken('refresh', { kind: 'refresh', revokedAt: at(6), expiresAt: at(60) }));

          expect(await store.oauthTokens.listRevokedAccessSince(at(5), at(10))).toEqual([
            { tokenHash: 'hash_at_since', expiresAt: at(60), revokedAt: at(5) },
            { tokenHash: 'hash_later', expiresAt: null, revokedAt: at(7) },
          ]);
          expect(await store.oauthTokens.listRevokedAccessSince(at(8), at(10))).toEqual([]);

          // Revoking a family or a client's tokens stamps each token, so the feed sees those too.
          await store.oauthTokens.insert(oauthToken('in_family', { familyId: 'fam_1' }));
          await store.oauthTokens.revokeFamily('fam_1', at(9));
          expect((await store.oauthTokens.listRevokedAccessSince(at(8), at(10))).map((r) => r.tokenHash)).toEqual(['hash_in_family']);
        });

        it('inserting a second token with the same hash throws UniqueViolation', async () => {
          await store.oauthTokens.insert(oauthToken('tok_1'));
          await expectUniqueViolation(store.oauthTokens.insert(oauthToken('tok_2', { tokenHash: 'hash_tok_1' })), 'oauth_tokens.token_hash');
        });

        it('revoke sets revokedAt once: a second revoke returns false and keeps the first time', async () => {
          const token = oauthToken('tok_1');
          await store.oauthTokens.insert(token);

          expect(await store.oauthTokens.revoke(token.id, at(5))).toBe(true);
          expect((await store.oauthTokens.getByHash(token.tokenHash))?.revokedAt).toBe(at(5));
          expect(await store.oauthTokens.revoke(token.id, at(6))).toBe(false);
          expect((await store.oauthTokens.getByHash(token.tokenHash))?.revokedAt).toBe(at(5));
          expect(await store.oauthTokens.revoke('tok_unknown', at(6))).toBe(false);
        });

        it('revokeFamily revokes the live tokens of one family and counts them', async () => {
          await store.oauthTokens.insert(oauthToken('tok_a', { familyId: 'fam_1', kind: 'refresh' }));
          await store.oauthTokens.insert(oauthToken('tok_b', { familyId: 'fam_1' }));
          await store.oauthTokens.insert(oauthToken('tok_c', { familyId: 'fam_1', revokedAt: at(1) }));
          await store.oauthTokens.insert(oauthToken('tok_d', { familyId: 'fam_2' }));
          await store.oauthTokens.insert(oauthToken('tok_e'));

          expect(await store.oauthTokens.revokeFamily('fam_1', at(5))).toBe(2);
          const revokedAt = async (id: string) => (await store.oauthTokens.getByHash(`hash_${id}`))?.revokedAt;
          expect([await revokedAt('tok_a'), await revokedAt('tok_b'), await revokedAt('tok_c')]).toEqual([at(5), at(5), at(1)]);
          expect([await revokedAt('tok_d'), await revokedAt('tok_e')]).toEqual([null, null]);
          expect(await store.oauthTokens.revokeFamily('fam_1', at(6))).toBe(0);
        });

        it('revokeForClient revokes the live tokens of one client and counts them', async () => {
          await store.oauthTokens.insert(oauthToken('tok_a', { clientId: 'client-0001' }));
          await store.oauthTokens.insert(oauthToken('tok_b', { clientId: 'client-0001', kind: 'refresh', familyId: 'fam_1' }));
          await store.oauthTokens.insert(oauthToken('tok_c', { clientId: 'client-0001', revokedAt: at(1) }));
          await store.oauthTokens.insert(oauthToken('tok_d', { clientId: 'client-0002' }));

          expect(await store.oauthTokens.revokeForClient('client-0001', at(5))).toBe(2);
          expect((await store.oauthTokens.getByHash('hash_tok_c'))?.revokedAt).toBe(at(1));
          expect((await store.oauthTokens.getByHash('hash_tok_d'))?.revokedAt).toBeNull();
          expect(await store.oauthTokens.revokeForClient('client-0001', at(6))).toBe(0);
        });

        it('deleteExpired removes only tokens that expired before the time, never those without an expiry', async () => {
          await store.oauthTokens.insert(oauthToken('tok_expired', { expiresAt: at(5) }));
          await store.oauthTokens.insert(oauthToken('tok_expired_revoked', { expiresAt: at(9), revokedAt: at(1) }));
          await store.oauthTokens.insert(oauthToken('tok_at_the_time', { expiresAt: at(10) }));
          await store.oauthTokens.insert(oauthToken('tok_later', { expiresAt: at(20) }));
          await store.oauthTokens.insert(oauthToken('tok_forever', { expiresAt: null, issuedAt: T0 - 1_000_000_000 }));

          expect(await store.oauthTokens.deleteExpired(at(10))).toBe(2);

          const left = async (id: string) => (await store.oauthTokens.getByHash(`hash_${id}`)) !== undefined;
          expect(await left('tok_expired')).toBe(false);
          expect(await left('tok_expired_revoked')).toBe(false);
          expect(await left('tok_at_the_time')).toBe(true);
          expect(await left('tok_later')).toBe(true);
          expect(await left('tok_forever')).toBe(true);
          expect(await store.oauthTokens.deleteExpired(at(10))).toBe(0);
        });
      });

      describe('audit', () => {
        // Five events, one minute apart; `at` identifies each in the assertions.
        beforeEach(async () => {
          await store.audit.append(auditEvent({ at: at(1), actor: 'alice', action: 'api.create', resourceType: 'api', resource: 'weather' }));
          await store.audit.append(auditEvent({ at: at(2), actor: 'bob', action: 'api.deploy', resourceType: 'api', resource: 'weather' }));
          await store.audit.append(auditEvent({ at: at(3), actor: 'alice', action: 'product.create', resourceType: 'product', resource: 'gold' }));
          await store.audit.append(auditEvent({ at: at(4), actor: 'bob', action: 'developer.create', resourceType: 'developer', resource: 'dana@example.com' }));
          await store.audit.append(auditEvent({ at: at(5), actor: 'alice', action: 'api.create', resourceType: 'api', resource: 'maps' }));
        });

        const minutes = (events: Array<{ at: number }>) => events.map((e) => (e.at - T0) / 60_000);

        it('list returns every event newest first, with numeric ids and the details as appended', async () => {
          await store.audit.append(auditEvent({ at: at(6), details: { revision: 2, basePath: '/weather', nested: { list: [1, 'two', null], ok: true } } }));

          const page = await store.audit.list({}, { limit: 10 });
          expect(minutes(page.items)).toEqual([6, 5, 4, 3, 2, 1]);
          expect(page.nextCursor).toBeNull();
          const [newest] = page.items;
          expect(newest).toEqual({
            id: expect.any(Number),
            ...auditEvent({ at: at(6), details: { revision: 2, basePath: '/weather', nested: { list: [1, 'two', null], ok: true } } }),
          });
          const ids = page.items.map((e) => e.id);
          expect(ids).toEqual([...ids].sort((a, b) => b - a));
        });

        it('each filter narrows the list: actor, resourceType, resource, action', async () => {
          expect(minutes((await store.audit.list({ actor: 'alice' }, { limit: 10 })).items)).toEqual([5, 3, 1]);
          expect(minutes((await store.audit.list({ resourceType: 'api' }, { limit: 10 })).items)).toEqual([5, 2, 1]);
          expect(minutes((await store.audit.list({ resource: 'weather' }, { limit: 10 })).items)).toEqual([2, 1]);
          expect(minutes((await store.audit.list({ action: 'api.create' }, { limit: 10 })).items)).toEqual([5, 1]);
          expect(minutes((await store.audit.list({ actor: 'alice', resourceType: 'api' }, { limit: 10 })).items)).toEqual([5, 1]);
          expect((await store.audit.list({ actor: 'nobody' }, { limit: 10 })).items).toEqual([]);
        });

        it('since keeps events at or after it; until keeps events before it', async () => {
          expect(minutes((await store.audit.list({ since: at(3) }, { limit: 10 })).items)).toEqual([5, 4, 3]);
          expect(minutes((await store.audit.list({ until: at(3) }, { limit: 10 })).items)).toEqual([2, 1]);
          expect(minutes((await store.audit.list({ since: at(2), until: at(4) }, { limit: 10 })).items)).toEqual([3, 2]);
        });

        it('list pages newest first with the cursor, with or without a filter', async () => {
          expect((await allPages((page) => store.audit.list({}, page), 2)).map(minutes)).toEqual([[5, 4], [3, 2], [1]]);
          expect((await allPages((page) => store.audit.list({ actor: 'alice' }, page), 2)).map(minutes)).toEqual([[5, 3], [1]]);
        });
      });

      describe('change log', () => {
        it('append returns growing ids; listAfter returns the notices above an id, lowest first, as appended, at most limit', async () => {
          const ids: number[] = [];
          for (const [minute, name] of [[1, 'weather'], [2, 'maps'], [3, 'gold']] as const) ids.push(await store.changeLog.append(changeEntry({ at: at(minute), name })));
          expect(ids).toEqual([...ids].sort((a, b) => a - b));
          expect(new Set(ids).size).toBe(3);
          const [first, second, third] = ids as [number, number, number];

          expect(await store.changeLog.listAfter(first - 1, 10)).toEqual([
            { id: first, ...changeEntry({ at: at(1), name: 'weather' }) },
            { id: second, ...changeEntry({ at: at(2), name: 'maps' }) },
            { id: third, ...changeEntry({ at: at(3), name: 'gold' }) },
          ]);
          expect((await store.changeLog.listAfter(first, 10)).map((r) => r.id)).toEqual([second, third]);
          expect((await store.changeLog.listAfter(first - 1, 2)).map((r) => r.id)).toEqual([first, second]);
          expect(await store.changeLog.listAfter(third, 10)).toEqual([]);
        });

        it('listByIds returns those of the ids that exist, lowest first, and nothing for none', async () => {
          const a = await store.changeLog.append(changeEntry({ name: 'a' }));
          const b = await store.changeLog.append(changeEntry({ name: 'b', kind: 'credential', origin: 'node-b' }));
          expect(await store.changeLog.listByIds([b, b + 100, a])).toEqual([
            { id: a, ...changeEntry({ name: 'a' }) },
            { id: b, ...changeEntry({ name: 'b', kind: 'credential', origin: 'node-b' }) },
          ]);
          expect(await store.changeLog.listByIds([])).toEqual([]);
        });

        it('lastId is 0 for an empty log, else the highest id', async () => {
          expect(await store.changeLog.lastId()).toBe(0);
          await store.changeLog.append(changeEntry());
          const last = await store.changeLog.append(changeEntry());
          expect(await store.changeLog.lastId()).toBe(last);
        });

        it('never hands out an id twice, even after every notice was deleted', async () => {
          const before = await store.changeLog.append(changeEntry());
          await store.db.deleteFrom('change_log').execute();
          expect(await store.changeLog.append(changeEntry())).toBeGreaterThan(before);
        });

        it('deleteBefore removes the notices stamped before a time but keeps the newest, whatever its age', async () => {
          await store.changeLog.append(changeEntry({ at: at(1) }));
          await store.changeLog.append(changeEntry({ at: at(2) }));
          const newest = await store.changeLog.append(changeEntry({ at: at(3) }));
          expect(await store.changeLog.deleteBefore(at(10))).toBe(2);
          expect((await store.changeLog.listAfter(0, 10)).map((r) => r.id)).toEqual([newest]);
          expect(await store.changeLog.lastId()).toBe(newest);

          const recent = await store.changeLog.append(changeEntry({ at: at(20) }));
          expect(await store.changeLog.deleteBefore(at(10))).toBe(1);
          expect((await store.changeLog.listAfter(0, 10)).map((r) => r.id)).toEqual([recent]);
        });

        it('a transaction that throws leaves no notice behind', async () => {
          const work = store.transaction(async (tx) => {
            await tx.changeLog.append(changeEntry());
            throw new Boom('after appending');
          });
          await expect(work).rejects.toBeInstanceOf(Boom);
          expect(await store.changeLog.listAfter(0, 10)).toEqual([]);
        });

        // What the change log poller is built for: on PostgreSQL an id is taken when the insert runs, and becomes
        // visible when its transaction commits, so a higher id can be seen first. (SQLite has one writer at a time, so
        // the case does not exist there and the test is only defined for PostgreSQL: CI counts a skip as a failure.)
        if (adapter.name === 'PostgreSQL') it('a lower id can become visible after a higher one, when its transaction commits later', async () => {
          const other = await opened!.database.open();
          try {
            let release: () => void = () => {};
            const held = new Promise<void>((resolve) => (release = resolve));
            let appended: (id: number) => void = () => {};
            const lowId = new Promise<number>((resolve) => (appended = resolve));
            const slow = store.transaction(async (tx) => {
              appended(await tx.changeLog.append(changeEntry({ name: 'slow' })));
              await held;
            });
            const low = await lowId;
            const high = await other.store.changeLog.append(changeEntry({ name: 'fast' }));
            expect(high).toBeGreaterThan(low);
            expect((await store.changeLog.listAfter(0, 10)).map((r) => r.name)).toEqual(['fast']);
            release();
            await slow;
            expect((await store.changeLog.listAfter(0, 10)).map((r) => r.id)).toEqual([low, high]);
          } finally {
            await other.store.close();
          }
        });
      });

      describe('key value maps', () => {
        it('get returns the map as inserted, per scope; an unknown map is undefined', async () => {
          const org = keyValueMap('config', { encrypted: true, description: 'settings', version: 2, createdAt: at(1), updatedAt: at(2) });
          const scoped = keyValueMap('config', { api: 'weather' });
          await store.keyValueMaps.insert(org);
          await store.keyValueMaps.insert(scoped);

          expect(await store.keyValueMaps.get(null, 'config')).toEqual(org);
          expect(await store.keyValueMaps.get('weather', 'config')).toEqual(scoped);
          expect(await store.keyValueMaps.get('maps', 'config')).toBeUndefined();
          expect(await store.keyValueMaps.get(null, 'other')).toBeUndefined();
          const read = await store.keyValueMaps.get(null, 'config');
          expect([typeof read?.version, typeof read?.createdAt, typeof read?.encrypted]).toEqual(['number', 'number', 'boolean']);
        });

        it('names are unique per scope: a second map of the same name in the same scope throws UniqueViolation', async () => {
          await store.keyValueMaps.insert(keyValueMap('config'));
          await store.keyValueMaps.insert(keyValueMap('config', { api: 'weather' }));
          await expectUniqueViolation(store.keyValueMaps.insert(keyValueMap('config', { id: 'kvm_other' })), 'key_value_maps.scope_name');
          await expectUniqueViolation(store.keyValueMaps.insert(keyValueMap('config', { id: 'kvm_other2', api: 'weather' })), 'key_value_maps.scope_name');
        });

        it('list pages through maps organisation-wide first, then by API and name; api narrows to one API', async () => {
          for (const [api, name] of [[null, 'b'], ['weather', 'a'], [null, 'a'], ['maps', 'z'], ['weather', 'c']] as const) await store.keyValueMaps.insert(keyValueMap(name, { api }));

          const pages = await allPages((page) => store.keyValueMaps.list({}, page), 2);
          expect(pages.map((p) => p.map((m) => `${m.api ?? ''}/${m.name}`))).toEqual([['/a', '/b'], ['maps/z', 'weather/a'], ['weather/c']]);
          const weather = await allPages((page) => store.keyValueMaps.list({ api: 'weather' }, page), 1);
          expect(weather.map((p) => p.map((m) => m.name))).toEqual([['a'], ['c']]);
        });

        it('update saves with the current expectedVersion and refuses a stale one', async () => {
          const map = keyValueMap('config');
          await store.keyValueMaps.insert(map);
          const changed = { ...map, description: 'now described', version: 2, updatedAt: at(5) };

          expect(await store.keyValueMaps.update(changed, 7)).toBe(false);
          expect(await store.keyValueMaps.get(null, 'config')).toEqual(map);
          expect(await store.keyValueMaps.update(changed, 1)).toBe(true);
          expect(await store.keyValueMaps.get(null, 'config')).toEqual(changed);
        });

        it('entries: put inserts or replaces, insertEntry only inserts, getEntry and delete by key', async () => {
          const map = keyValueMap('config');
          await store.keyValueMaps.insert(map);
          const long = 'v'.repeat(10240);

          await store.keyValueMaps.putEntry(kvEntry(map, 'a', 'one'));
          await store.keyValueMaps.putEntry(kvEntry(map, 'a', 'two', { updatedAt: at(3) }));
          expect(await store.keyValueMaps.getEntry(map.id, 'a')).toEqual(kvEntry(map, 'a', 'two', { updatedAt: at(3) }));

          expect(await store.keyValueMaps.insertEntry(kvEntry(map, 'a', 'three'))).toBe(false);
          expect((await store.keyValueMaps.getEntry(map.id, 'a'))?.value).toBe('two');
          expect(await store.keyValueMaps.insertEntry(kvEntry(map, 'k/ü ☃', long))).toBe(true);
          expect((await store.keyValueMaps.getEntry(map.id, 'k/ü ☃'))?.value).toBe(long);
          expect(await store.keyValueMaps.countEntries(map.id)).toBe(2);

          expect(await store.keyValueMaps.deleteEntry(map.id, 'a')).toBe(true);
          expect(await store.keyValueMaps.deleteEntry(map.id, 'a')).toBe(false);
          expect(await store.keyValueMaps.getEntry(map.id, 'a')).toBeUndefined();
        });

        it('listEntries pages through one map in key order', async () => {
          const map = keyValueMap('config');
          const other = keyValueMap('other');
          await store.keyValueMaps.insert(map);
          await store.keyValueMaps.insert(other);
          for (const key of ['d', 'a', 'c', 'b', 'e']) await store.keyValueMaps.putEntry(kvEntry(map, key, key.toUpperCase()));
          await store.keyValueMaps.putEntry(kvEntry(other, 'a', 'elsewhere'));

          const pages = await allPages((page) => store.keyValueMaps.listEntries(map.id, page), 2);
          expect(pages.map((p) => p.map((e) => `${e.key}=${e.value}`))).toEqual([['a=A', 'b=B'], ['c=C', 'd=D'], ['e=E']]);
        });

        it('delete removes the map and its entries; deleteForApi removes only that API\'s maps', async () => {
          const org = keyValueMap('config');
          const scoped = keyValueMap('config', { api: 'weather' });
          const second = keyValueMap('secrets', { api: 'weather' });
          const elsewhere = keyValueMap('config', { api: 'maps' });
          for (const map of [org, scoped, second, elsewhere]) {
            await store.keyValueMaps.insert(map);
            await store.keyValueMaps.putEntry(kvEntry(map, 'k', 'v'));
          }

          expect(await store.keyValueMaps.delete(org.id)).toBe(true);
          expect(await store.keyValueMaps.delete(org.id)).toBe(false);
          expect(await store.keyValueMaps.get(null, 'config')).toBeUndefined();
          expect(await store.keyValueMaps.getEntry(org.id, 'k')).toBeUndefined();

          expect(await store.keyValueMaps.deleteForApi('weather')).toEqual(['config', 'secrets']);
          expect(await store.keyValueMaps.get('weather', 'config')).toBeUndefined();
          expect(await store.keyValueMaps.getEntry(second.id, 'k')).toBeUndefined();
          expect(await store.keyValueMaps.get('maps', 'config')).toEqual(elsewhere);
          expect(await rowCount(store, 'key_value_entries')).toBe(1);
        });

        it('a transaction that throws leaves no map or entry behind', async () => {
          const map = keyValueMap('config');
          const work = store.transaction(async (tx) => {
            await tx.keyValueMaps.insert(map);
            await tx.keyValueMaps.putEntry(kvEntry(map, 'k', 'v'));
            throw new Boom('after writing');
          });
          await expect(work).rejects.toBeInstanceOf(Boom);
          expect(await rowCount(store, 'key_value_maps')).toBe(0);
          expect(await rowCount(store, 'key_value_entries')).toBe(0);
        });
      });

      describe('transactions', () => {
        it('a transaction whose work throws after writing leaves nothing behind', async () => {
          const dana = developer('dana@example.com');
          const mobile = app(dana, 'mobile');

          const work = store.transaction(async (tx) => {
            await tx.developers.insert(dana);
            await tx.apps.insert(mobile);
            await tx.credentials.insert(credential(mobile, 'client-0001', { products: [{ name: 'gold', status: 'approved' }] }));
            await tx.audit.append(auditEvent({ action: 'app.create' }));
            throw new Boom('after writing');
          });

          await expect(work).rejects.toBeInstanceOf(Boom);
          expect(await store.developers.getByEmail('dana@example.com')).toBeUndefined();
          expect(await store.apps.getById(mobile.id)).toBeUndefined();
          expect(await store.credentials.getByClientId('client-0001')).toBeUndefined();
          expect((await store.audit.list({}, { limit: 10 })).items).toEqual([]);
          for (const table of TABLES) expect(await rowCount(store, table), table).toBe(0);
        });

        it('a transaction that fails on a UniqueViolation rolls back its earlier writes', async () => {
          await store.products.insert(product('gold'));

          const work = store.transaction(async (tx) => {
            await tx.products.insert(product('silver'));
            await tx.products.insert(product('gold', { id: 'prd_other' }));
          });

          await expect(work).rejects.toBeInstanceOf(UniqueViolation);
          expect((await store.products.listAll()).map((p) => p.name)).toEqual(['gold']);
        });

        it('a transaction that succeeds commits every write and returns what its work returns', async () => {
          const dana = developer('dana@example.com');
          const mobile = app(dana, 'mobile');

          const result = await store.transaction(async (tx) => {
            await tx.developers.insert(dana);
            await tx.apps.insert(mobile);
            await tx.credentials.insert(credential(mobile, 'client-0001'));
            return 'done';
          });

          expect(result).toBe('done');
          expect(await store.developers.getByEmail('dana@example.com')).toEqual(dana);
          expect(await store.apps.getById(mobile.id)).toEqual(mobile);
          expect((await store.credentials.getByClientId('client-0001'))?.appId).toBe(mobile.id);
        });

        it("inside a transaction, reads see the transaction's own writes", async () => {
          const dana = developer('dana@example.com');
          const mobile = app(dana, 'mobile');

          const seen = await store.transaction(async (tx) => {
            await tx.developers.insert(dana);
            await tx.apps.insert(mobile);
            const updated = { ...dana, status: 'inactive' as const, version: 2 };
            await tx.developers.update(updated, 1);
            return {
              developer: await tx.developers.getByEmail('dana@example.com'),
              apps: await tx.apps.namesForDeveloper(dana.id),
            };
          });

          expect(seen).toEqual({ developer: { ...dana, status: 'inactive', version: 2 }, apps: ['mobile'] });
        });
      });
    });
  });
}
