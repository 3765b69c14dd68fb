// Wires configuration -> store -> management -> servers, and takes them down again; the only file that knows it all.
import type { FastifyInstance } from 'fastify';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { InFlightResponses } from './http/in-flight.ts';
import { randomBytes } from 'node:crypto';
import { resolveSecretKey } from './config/secret-key.ts';
import type { ServerConfig } from './config/settings.ts';
import { apply, type ApplyResult } from './declarative/apply.ts';
import { httpClient } from './declarative/client.ts';
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
import { ChangeFeed } from './manage/changes.ts';
import type { ManageDeps } from './manage/context.ts';
import { bootstrapAdmin, type BootstrapResult } from './manage/users.ts';
import { openStore, type SqlStore } from './store/index.ts';
import { ValueCipher } from './util/cipher.ts';
import { systemClock, type Clock } from './util/clock.ts';
import { VERSION } from './version.ts';

/**
 * How often the JWT signing keys are re-read (one small query) and their schedule checked (a key signs for 30 days, the
 * next is published an hour ahead): a rotation by command on another node reaches this one within this time.
 */
const KEY_ROTATION_CHECK_MS = 5 * 1000;
/** How often expired rows leave the token table, and how long after expiry they stay. */
const TOKEN_SWEEP_INTERVAL_MS = 60 * 60 * 1000;
const TOKEN_SWEEP_GRACE_MS = 24 * 60 * 60 * 1000;

export interface StartOptions {
  config: ServerConfig;
  clock?: Clock;
  /** Desired state to apply once the servers listen (`gatehouse start -c FILE`). */
  desired?: DesiredState | undefined;
  /** Request logging; false silences it (tests). */
  logRequests?: boolean;
  /** Where analytics records go, and what the management API's traffic reports read (default: the last 10,000 in memory). */
  analytics?: AnalyticsSink & TrafficSource;
}

export interface Running {
  urls: { gateway: string; admin: string; hub: string };
  store: SqlStore;
  storeLocation: string;
  migrationsApplied: string[];
  bootstrap: BootstrapResult;
  applied?: ApplyResult | undefined;
  /** Stops accepting, lets in-flight requests finish (up to the shutdown timeout), closes the store. */
  stop(): Promise<void>;
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
function closeServer(server: Server, inFlight: InFlightResponses, timeoutMs: number): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) return resolve();
    const timer = setTimeout(() => server.closeAllConnections(), timeoutMs);
    timer.unref();
    server.close(() => {
      clearTimeout(timer);
      resolve();
    });
    inFlight.closeConnectionsWhenDone(server);
    server.closeIdleConnections();
  });
}

/** Where this process can reach its own admin port: a wildcard address is reached on loopback. */
function localUrl(server: Server, host: string): string {
  const { port } = server.address() as AddressInfo;
  const local = host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '[::1]' : host.includes(':') ? `[${host}]` : host;
  return `http://${local}:${port}`;
}

export async function start(options: StartOptions): Promise<Running> {
  const { config } = options;
  const clock = options.clock ?? systemClock;
  const logLevel = options.logRequests === false ? false : config.logLevel;
  // Encrypts values of encrypted key value maps; only the manage layer and the gateway's map cache hold it.
  const { secret } = resolveSecretKey(config);
  const kvmCipher = secret === undefined ? undefined : new ValueCipher(secret);
  const opened = await openStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  const { store } = opened;
  let draining = false;
  const health: Health = { store, draining: () => draining };
  let runtime: GatewayRuntime | undefined;
  let keys: CachedKeys | undefined;
  let kvm: CachedKeyValueMaps | undefined;
  const deps: ManageDeps = {
    store,
    clock,
    changes: new ChangeFeed(),
    kvmCipher,
    checkDeployable: (spec, revision) => {
      runtime?.compile(spec, revision);
    },
  };
  const servers: { admin?: FastifyInstance; hub?: FastifyInstance; gateway?: Server } = {};
  let rotation: NodeJS.Timeout | undefined;
  /** The key check in progress, if any: checks never overlap, and stop() waits for one before closing the store. */
  let keyCheck: Promise<void> | undefined;
  let sweep: NodeJS.Timeout | undefined;
  let revocationFeed: RevocationFeed | undefined;
  /** The gateway as callers reach it; read late, since the gateway listens after the servers are built. */
  const gatewayPublicUrl = () => config.gateway.publicUrl?.replace(/\/$/, '') ?? urlOf(servers.gateway as Server, config.gateway.host);
  try {
    const bootstrap = await bootstrapAdmin(deps, config.adminToken);
    const internalToken = randomBytes(32).toString('base64url');
    // Lets the gateway tell the hub's relayed calls (try-it, get a token) from anyone else's; never leaves the process.
    const relaySecret = randomBytes(32).toString('base64url');
    const log = {
      error(message: string, error?: unknown) {
        process.stderr.write(`${JSON.stringify({ level: 'error', time: clock.now(), msg: message, err: error instanceof Error ? { message: error.message, stack: error.stack } : error })}\n`);
      },
    };
    keys = new CachedKeys(store, deps.changes);
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
    // Until the hub listens (the gateway starts first), its configured port stands in for its address.
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
    kvm = new CachedKeyValueMaps({ store, changes: deps.changes, clock, cipher: kvmCipher });
    runtime = new GatewayRuntime({
      store,
      changes: deps.changes,
      policies: policyRegistry(),
      policyDeps: { clock, counters: new MemoryCounters(), keys, tokens, responseCache: new MemoryResponseCacheStore(), kvm, authorization, clientAssertions },
      log,
    });
    await runtime.reload();
    // One store of analytics: the gateway writes to it, the management API's traffic reports read it.
    const analytics = options.analytics ?? new MemoryAnalytics();
    // RFC 8414 metadata, also under OpenID's name, which discovery clients (openid-client) ask for first.
    const metadata = () => authorizationServerMetadata({ issuer: issuer(), gatewayUrl: gatewayPublicUrl(), apis: runtime?.deployedApis() ?? [], jwks: signingKeys !== undefined });
    const wellKnown = new Map<string, () => unknown>([
      ['/.well-known/oauth-authorization-server', metadata],
      ['/.well-known/openid-configuration', metadata],
      ...(signingKeys ? [['/.well-known/jwks.json', () => signingKeys.jwks()] as const] : []),
    ]);
    servers.gateway = createGatewayServer({ runtime, health, clock, analytics: offHotPath(analytics, (error) => log.error('analytics sink failed', error)), log, wellKnown, relaySecret });
    // The gateway serves first: its deployments are loaded, and traffic need not wait while the management API and
    // the hub compile their schemas and load their modules (about half a second; bench "ready" times).
    const gatewayDrain = new InFlightResponses(servers.gateway);
    await listen(servers.gateway, config.gateway.host, config.gateway.port, 'gateway');
    const [{ buildAdminApi }, { buildHubServer }] = await Promise.all([import('./admin-api/server.ts'), import('./hub-api/server.ts')]);
    servers.admin = await buildAdminApi({ deps, health, version: VERSION, logLevel, internalToken, traffic: analytics, signingKeys, seals });
    servers.hub = await buildHubServer({
      health,
      logLevel,
      deps,
      version: VERSION,
      signup: config.hub.signup,
      traffic: analytics,
      // Read per request: the gateway listens after the hub is built.
      gatewayUrl: gatewayPublicUrl,
      relaySecret,
      seals,
      gatewayLocalUrl: () => localUrl(servers.gateway as Server, config.gateway.host),
    });
    const drains = [gatewayDrain, new InFlightResponses(servers.admin.server), new InFlightResponses(servers.hub.server)] as const;
    await listen(servers.admin.server, config.admin.host, config.admin.port, 'admin API');
    await listen(servers.hub.server, config.hub.host, config.hub.port, 'developer hub');

    // `start -c FILE` applies through the management API like `gatehouse apply`, as the system actor.
    const applied = options.desired ? await apply(httpClient(localUrl(servers.admin.server, config.admin.host), internalToken), options.desired) : undefined;
    const { admin, hub, gateway } = servers;
    let stopping: Promise<void> | undefined;
    return {
      urls: { gateway: urlOf(gateway, config.gateway.host), admin: urlOf(admin.server, config.admin.host), hub: urlOf(hub.server, config.hub.host) },
      store,
      storeLocation: opened.location,
      migrationsApplied: opened.migrations.applied,
      bootstrap,
      applied,
      stop() {
        stopping ??= (async () => {
          draining = true;
          const timeout = config.shutdownTimeoutMs;
          await Promise.all([closeServer(gateway, drains[0], timeout), closeServer(admin.server, drains[1], timeout), closeServer(hub.server, drains[2], timeout)]);
          await Promise.all([admin.close(), hub.close()]);
          clearInterval(rotation);
          clearInterval(sweep);
          await keyCheck;
          await revocationFeed?.close();
          await runtime?.close();
          keys?.close();
          kvm?.close();
          await store.close();
        })();
        return stopping;
      },
    };
  } catch (error) {
    draining = true;
    servers.gateway?.close();
    clearInterval(rotation);
    clearInterval(sweep);
    await Promise.allSettled([servers.admin?.close(), servers.hub?.close(), runtime?.close(), revocationFeed?.close()]);
    keys?.close();
    kvm?.close();
    await store.close().catch(() => {});
    throw error;
  }
}
