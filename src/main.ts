// Wires configuration -> store -> management -> servers, and takes them down again; the only file that knows it all.
// One code path serves both roles: `gatehouse start` (everything) and `gatehouse gateway` (the gateway alone).
import type { FastifyInstance } from 'fastify';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { hostname } from 'node:os';
import { resolveSecretKey } from './config/secret-key.ts';
import type { ServerConfig } from './config/settings.ts';
import type { ApplyResult } from './declarative/apply.ts';
import type { DesiredState } from './declarative/schema.ts';
import { MemoryAnalytics, offHotPath, type AnalyticsSink } from './gateway/analytics.ts';
import type { TrafficSource } from './gateway/traffic.ts';
import { CachedKeys } from './gateway/keys.ts';
import { CachedKeyValueMaps } from './gateway/kvm.ts';
import { authorizationServerMetadata } from './gateway/oauth-metadata.ts';
import { GatewayRuntime } from './gateway/runtime.ts';
import { createGatewayServer } from './gateway/server.ts';
import { MemoryCounters } from './counters/memory.ts';
import { RevocationFeed } from './oauth/revocation-feed.ts';
import { SigningKeys } from './oauth/signing-keys.ts';
import { StoredAuthorizationCodes } from './oauth/authorization-codes.ts';
import { AuthorizationSeals } from './oauth/authorization-requests.ts';
import { ClientAssertions } from './oauth/client-assertion.ts';
import { OpaqueTokens } from './oauth/tokens.ts';
import { policyRegistry } from './policies/index.ts';
import type { AuthorizationServer } from './policies/policy.ts';
import { MemoryResponseCacheStore } from './policies/response-cache/store.ts';
import type { Health } from './http/health.ts';
import { ConnectionDrain } from './http/drain.ts';
import { ChangeLogPoller } from './manage/change-log-poller.ts';
import { ChangeFeed } from './manage/changes.ts';
import type { ManageDeps } from './manage/context.ts';
import { bootstrapAdmin, type BootstrapResult } from './manage/users.ts';
import { openStore, type SqlStore } from './store/index.ts';
import { ValueCipher } from './util/cipher.ts';
import { systemClock, type Clock } from './util/clock.ts';
import { randomToken } from './util/secrets.ts';
import { VERSION } from './version.ts';

/**
 * How often the JWT signing keys are re-read (one small query) and their schedule checked (a key signs for 30 days, the
 * next is published an hour ahead): a rotation by command on another node reaches this one within this time.
 */
const KEY_ROTATION_CHECK_MS = 5 * 1000;
/** How often expired rows leave the token table, and how long after expiry they stay. */
const TOKEN_SWEEP_INTERVAL_MS = 60 * 60 * 1000;
const TOKEN_SWEEP_GRACE_MS = 24 * 60 * 60 * 1000;

/**
 * What a process runs. `all` (`gatehouse start`): the gateway, the management API and the developer hub. `gateway`
 * (`gatehouse gateway`): the gateway alone, one of any number beside a `start` node on the same store; it never loads
 * the management API or the hub (they are imported only for `all`), so it stays small.
 */
export type Role = 'all' | 'gateway';

interface NodeOptions {
  config: ServerConfig;
  clock?: Clock;
  /** Request logging; false silences it (tests). */
  logRequests?: boolean;
  /** Where analytics records go, and what the management API's traffic reports read (default: the last 10,000 in memory). */
  analytics?: AnalyticsSink & TrafficSource;
}

export interface StartOptions extends NodeOptions {
  role?: 'all';
  /** Desired state to apply once the servers listen (`gatehouse start -c FILE`). */
  desired?: DesiredState | undefined;
}

export interface GatewayStartOptions extends NodeOptions {
  role: 'gateway';
}

interface RunningNode {
  /** This node's id in the change log (its notices carry it, and its poller passes over them). */
  origin: string;
  store: SqlStore;
  storeLocation: string;
  migrationsApplied: string[];
  /** Stops accepting, lets in-flight requests finish (up to the shutdown timeout), closes the store. */
  stop(): Promise<void>;
}

export interface Running extends RunningNode {
  role: 'all';
  urls: { gateway: string; admin: string; hub: string };
  bootstrap: BootstrapResult;
  applied?: ApplyResult | undefined;
}

export interface RunningGateway extends RunningNode {
  role: 'gateway';
  urls: { gateway: string };
}

/** The management API and the developer hub of an `all` node, once they listen. */
interface ControlSurfaces {
  admin: FastifyInstance;
  hub: FastifyInstance;
  drains: [ConnectionDrain, ConnectionDrain];
  bootstrap: BootstrapResult;
  applied: ApplyResult | undefined;
}

/** A node's id in the change log: unique per process, and telling an operator which process wrote a notice. */
function newOrigin(role: Role): string {
  return `${role}:${hostname()}:${process.pid}:${randomToken(6)}`;
}

function urlOf(server: Server, host: string): string {
  const { port } = server.address() as AddressInfo;
  const shown = host === '0.0.0.0' || host === '::' ? 'localhost' : host.includes(':') ? `[${host}]` : host;
  return `http://${shown}:${port}`;
}

function listen(server: Server, host: string, port: number, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      reject(new Error(`Cannot listen for the ${what} on ${host}:${port}: ${error.code === 'EADDRINUSE' ? 'the port is in use' : error.message}.`, { cause: error }));
    };
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
}

/** Closes a node:http server: no new connections, idle keep-alive ones now, busy ones when done or at the deadline. */
function closeServer(server: Server, drain: ConnectionDrain, timeoutMs: number): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) return resolve();
    const timer = setTimeout(() => server.closeAllConnections(), timeoutMs);
    timer.unref();
    server.close(() => {
      clearTimeout(timer);
      resolve();
    });
    drain.start();
  });
}

/** Where this process can reach its own admin port: a wildcard address is reached on loopback. */
function localUrl(server: Server, host: string): string {
  const { port } = server.address() as AddressInfo;
  const local = host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '[::1]' : host.includes(':') ? `[${host}]` : host;
  return `http://${local}:${port}`;
}

export function start(options: StartOptions): Promise<Running>;
export function start(options: GatewayStartOptions): Promise<RunningGateway>;
export async function start(options: StartOptions | GatewayStartOptions): Promise<Running | RunningGateway> {
  const { config } = options;
  const role: Role = options.role ?? 'all';
  const clock = options.clock ?? systemClock;
  const logLevel = options.logRequests === false ? false : config.logLevel;
  const log = {
    error(message: string, error?: unknown) {
      process.stderr.write(`${JSON.stringify({ level: 'error', time: clock.now(), msg: message, err: error instanceof Error ? { message: error.message, stack: error.stack } : error })}\n`);
    },
  };
  // Encrypts values of encrypted key value maps; only the manage layer and the gateway's map cache hold it.
  const { secret } = resolveSecretKey(config);
  const kvmCipher = secret === undefined ? undefined : new ValueCipher(secret);
  const opened = await openStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  const { store } = opened;
  const origin = newOrigin(role);
  // Each notice this node emits also goes to the store's change log, where the other nodes sharing the store read it.
  const changes = new ChangeFeed({ log: store.changeLog, origin, clock, onError: (error) => log.error('writing a change notice to the change log failed (it is written again at the next poll)', error) });
  let draining = false;
  const health: Health = { store, draining: () => draining };
  let runtime: GatewayRuntime | undefined;
  let keys: CachedKeys | undefined;
  let kvm: CachedKeyValueMaps | undefined;
  const servers: { admin?: FastifyInstance; hub?: FastifyInstance; gateway?: Server } = {};
  let rotation: NodeJS.Timeout | undefined;
  /** The key check in progress, if any: checks never overlap, and stop() waits for one before closing the store. */
  let keyCheck: Promise<void> | undefined;
  let sweep: NodeJS.Timeout | undefined;
  let revocationFeed: RevocationFeed | undefined;
  let changePoller: ChangeLogPoller | undefined;
  /**
   * The gateway as callers reach it; read late, since the gateway listens after the servers are built, and then kept:
   * every JWT names it as issuer, and asking the socket for its port each time was 2% of a JWT request (bench).
   */
  let publicUrl: string | undefined;
  const gatewayPublicUrl = () => (publicUrl ??= config.gateway.publicUrl?.replace(/\/$/, '') ?? urlOf(servers.gateway as Server, config.gateway.host));
  try {
    // Before this node loads anything: whatever commits after this point reaches it through the log.
    changePoller = new ChangeLogPoller({ store, changes, origin, clock, intervalMs: config.cluster.changePollIntervalMs, onError: (error) => log.error('change log poll failed', error) });
    await changePoller.begin();
    // Lets the gateway tell the hub's relayed calls (try-it, get a token) from anyone else's; never leaves the process.
    const relaySecret = randomToken(32);
    keys = new CachedKeys(store, changes);
    // JWT access tokens: signing keys live encrypted under the server secret, so they exist only where one does.
    const signingKeys = kvmCipher ? new SigningKeys({ store, cipher: kvmCipher, clock }) : undefined;
    await signingKeys?.reload();
    const issuer = () => config.oauth.issuer ?? gatewayPublicUrl();
    const tokens = new OpaqueTokens(store, clock, undefined, undefined, signingKeys ? { keys: signingKeys, issuer } : undefined);
    await tokens.loadRevocations();
    // Nodes sharing the store learn each other's revocations by polling it (JWTs are verified without a store read).
    revocationFeed = new RevocationFeed({ store, tokens, clock, intervalMs: config.oauth.revocationPollIntervalMs, onError: (error) => log.error('revocation poll failed', error) });
    revocationFeed.start();
    // private_key_jwt (RFC 7523): an assertion names the issuer or a token endpoint URL; its jti is kept in the store.
    const clientAssertions = new ClientAssertions({
      store,
      issuer,
      gatewayUrl: gatewayPublicUrl,
      tokenEndpointUrl: () => {
        const url = authorizationServerMetadata({ issuer: issuer(), gatewayUrl: gatewayPublicUrl(), apis: runtime?.deployedApis() ?? [], jwks: false }).token_endpoint;
        return typeof url === 'string' ? url : undefined;
      },
    });
    // The authorization code grant: requests and consents sealed under the server secret, codes kept with the tokens.
    const seals = new AuthorizationSeals(secret, clock);
    // Until the hub listens (the gateway starts first), its configured port stands in for its address; a gateway node
    // sends users to the hub of a `start` node, which GATEHOUSE_HUB_PUBLIC_URL names.
    const hubPublicUrl = () => config.hub.publicUrl?.replace(/\/$/, '') ?? (servers.hub?.server.listening ? urlOf(servers.hub.server, config.hub.host) : `http://localhost:${config.hub.port}`);
    const authorization: AuthorizationServer = {
      seals,
      codes: new StoredAuthorizationCodes(store, clock, tokens),
      loginPageUrl: () => `${hubPublicUrl()}/authorize`,
      gatewayUrl: gatewayPublicUrl,
      issuer,
    };
    // Expired tokens, codes and client assertion ids go a day after they expire (the day keeps reuse detection
    // answering a little longer); without this the token table only grows.
    sweep = setInterval(() => {
      store.oauthTokens.deleteExpired(clock.now() - TOKEN_SWEEP_GRACE_MS).catch((error: unknown) => log.error('sweeping expired tokens failed', error));
    }, TOKEN_SWEEP_INTERVAL_MS);
    sweep.unref();
    if (signingKeys) {
      rotation = setInterval(() => {
        keyCheck ??= signingKeys
          .rotateWhenDue()
          .then(
            () => undefined,
            (error: unknown) => log.error('signing key rotation failed', error),
          )
          .finally(() => {
            keyCheck = undefined;
          });
      }, KEY_ROTATION_CHECK_MS);
      rotation.unref();
    }
    kvm = new CachedKeyValueMaps({ store, changes, clock, cipher: kvmCipher });
    runtime = new GatewayRuntime({
      store,
      changes,
      policies: policyRegistry(),
      policyDeps: { clock, counters: new MemoryCounters(), keys, tokens, responseCache: new MemoryResponseCacheStore(), kvm, authorization, clientAssertions },
      log,
    });
    await runtime.reload();
    changePoller.start();
    // On an `all` node, one store of analytics: the gateway writes to it, the management API's traffic reports read it.
    const traffic = role === 'all' ? (options.analytics ?? new MemoryAnalytics()) : undefined;
    const analytics = traffic ?? options.analytics;
    // RFC 8414 metadata, also under OpenID's name, which discovery clients (openid-client) ask for first.
    const metadata = () => authorizationServerMetadata({ issuer: issuer(), gatewayUrl: gatewayPublicUrl(), apis: runtime?.deployedApis() ?? [], jwks: signingKeys !== undefined });
    const wellKnown = new Map<string, () => unknown>([
      ['/.well-known/oauth-authorization-server', metadata],
      ['/.well-known/openid-configuration', metadata],
      ...(signingKeys ? [['/.well-known/jwks.json', () => signingKeys.jwks()] as const] : []),
    ]);
    // A gateway node's analytics have no reader (traffic reports are the `start` node's), so none are kept or built.
    const sink = analytics ? offHotPath(analytics, (error) => log.error('analytics sink failed', error)) : undefined;
    servers.gateway = createGatewayServer({ runtime, health, clock, analytics: sink, log, wellKnown, relaySecret });
    // The gateway serves first: its deployments are loaded, and traffic need not wait while the management API and
    // the hub compile their schemas and load their modules (about half a second; bench "ready" times).
    const gatewayDrain = new ConnectionDrain(servers.gateway);
    await listen(servers.gateway, config.gateway.host, config.gateway.port, 'gateway');

    let control: ControlSurfaces | undefined;
    // The management API and the developer hub: on an `all` node, the one that has a traffic source.
    if (traffic) {
      const deps: ManageDeps = {
        store,
        clock,
        changes,
        kvmCipher,
        checkDeployable: (spec, revision) => {
          runtime?.compile(spec, revision);
        },
      };
      // Only the control process manages users; a gateway node never writes them.
      const bootstrap = await bootstrapAdmin(deps, config.adminToken);
      const internalToken = randomToken(32);
      const [{ buildAdminApi }, { buildHubServer }] = await Promise.all([import('./admin-api/server.ts'), import('./hub-api/server.ts')]);
      servers.admin = await buildAdminApi({ deps, health, version: VERSION, logLevel, internalToken, traffic, signingKeys, seals });
      servers.hub = await buildHubServer({
        health,
        logLevel,
        deps,
        version: VERSION,
        signup: config.hub.signup,
        traffic,
        // Read per request: the gateway listens after the hub is built.
        gatewayUrl: gatewayPublicUrl,
        relaySecret,
        seals,
        gatewayLocalUrl: () => localUrl(servers.gateway as Server, config.gateway.host),
      });
      const drains: ControlSurfaces['drains'] = [new ConnectionDrain(servers.admin.server), new ConnectionDrain(servers.hub.server)];
      await listen(servers.admin.server, config.admin.host, config.admin.port, 'admin API');
      await listen(servers.hub.server, config.hub.host, config.hub.port, 'developer hub');
      // `start -c FILE` applies through the management API like `gatehouse apply`, as the system actor.
      const desired = (options as StartOptions).desired;
      let applied: ApplyResult | undefined;
      if (desired) {
        const [{ apply }, { httpClient }] = await Promise.all([import('./declarative/apply.ts'), import('./declarative/client.ts')]);
        applied = await apply(httpClient(localUrl(servers.admin.server, config.admin.host), internalToken), desired);
      }
      control = { admin: servers.admin, hub: servers.hub, drains, bootstrap, applied };
    }
    const { gateway } = servers;
    let stopping: Promise<void> | undefined;
    const stop = () => {
      stopping ??= (async () => {
        draining = true;
        const timeout = config.shutdownTimeoutMs;
        await Promise.all([
          closeServer(gateway, gatewayDrain, timeout),
          ...(control ? [closeServer(control.admin.server, control.drains[0], timeout), closeServer(control.hub.server, control.drains[1], timeout)] : []),
        ]);
        await Promise.all([control?.admin.close(), control?.hub.close()]);
        clearInterval(rotation);
        clearInterval(sweep);
        await keyCheck;
        await revocationFeed?.close();
        await changePoller?.close();
        // A notice whose first append failed gets a last chance before the store closes.
        await changes.recordPending().catch((error: unknown) => log.error('notices not written to the change log at shutdown', error));
        await runtime?.close();
        keys?.close();
        kvm?.close();
        await store.close();
      })();
      return stopping;
    };
    const node = { origin, store, storeLocation: opened.location, migrationsApplied: opened.migrations.applied, stop };
    if (!control) return { ...node, role: 'gateway', urls: { gateway: urlOf(gateway, config.gateway.host) } };
    const { admin, hub } = control;
    return {
      ...node,
      role: 'all',
      urls: { gateway: urlOf(gateway, config.gateway.host), admin: urlOf(admin.server, config.admin.host), hub: urlOf(hub.server, config.hub.host) },
      bootstrap: control.bootstrap,
      applied: control.applied,
    };
  } catch (error) {
    draining = true;
    servers.gateway?.close();
    clearInterval(rotation);
    clearInterval(sweep);
    await Promise.allSettled([servers.admin?.close(), servers.hub?.close(), runtime?.close(), revocationFeed?.close(), changePoller?.close()]);
    keys?.close();
    kvm?.close();
    await store.close().catch(() => {});
    throw error;
  }
}
