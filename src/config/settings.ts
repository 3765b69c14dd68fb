// Every process setting in one table: its place in the config file, its env var, its flag, its schema and docs.
// Loading, validation messages and docs/reference/configuration.md all come from this table.
import { Type, type TSchema } from '@sinclair/typebox';

export interface Setting {
  /** Dotted path in the `server:` section of the config file and in the resolved config. */
  readonly path: string;
  readonly env: readonly string[];
  readonly flag: string;
  readonly schema: TSchema;
  readonly default?: unknown;
  /** The value is a secret: never printed back. */
  readonly secret?: boolean;
  readonly doc: string;
}

const Port = Type.Integer({ minimum: 0, maximum: 65535, description: 'an integer from 0 to 65535 (0 picks a free port)' });
const Host = Type.String({ minLength: 1, maxLength: 255, description: 'a host name or IP address to listen on' });

export const SETTINGS: readonly Setting[] = [
  { path: 'gateway.port', env: ['GATEHOUSE_GATEWAY_PORT'], flag: 'gateway-port', schema: Port, default: 8080, doc: 'Port of the gateway (the data plane).' },
  { path: 'gateway.host', env: ['GATEHOUSE_GATEWAY_HOST'], flag: 'gateway-host', schema: Host, default: '0.0.0.0', doc: 'Address the gateway listens on; public by default.' },
  {
    path: 'gateway.publicUrl',
    env: ['GATEHOUSE_GATEWAY_PUBLIC_URL'],
    flag: 'gateway-public-url',
    schema: Type.String({ pattern: '^https?://[^/?#\\s]+/?$', description: 'an http:// or https:// origin, such as https://api.example.com' }),
    doc: 'The gateway\'s address as callers see it (behind a load balancer, say). The developer hub puts it in token URLs, the try-it console and Postman collections. Default: `http://localhost:<gateway port>`.',
  },
  { path: 'admin.port', env: ['GATEHOUSE_ADMIN_PORT'], flag: 'admin-port', schema: Port, default: 8081, doc: 'Port of the management API and the admin console.' },
  { path: 'admin.host', env: ['GATEHOUSE_ADMIN_HOST'], flag: 'admin-host', schema: Host, default: '127.0.0.1', doc: 'Address of the admin port; loopback by default, so only this machine reaches it.' },
  { path: 'hub.port', env: ['GATEHOUSE_HUB_PORT'], flag: 'hub-port', schema: Port, default: 8082, doc: 'Port of the developer hub.' },
  { path: 'hub.host', env: ['GATEHOUSE_HUB_HOST'], flag: 'hub-host', schema: Host, default: '0.0.0.0', doc: 'Address the developer hub listens on; public by default.' },
  {
    path: 'hub.publicUrl',
    env: ['GATEHOUSE_HUB_PUBLIC_URL'],
    flag: 'hub-public-url',
    schema: Type.String({ pattern: '^https?://[^/?#\\s]+/?$', description: 'an http:// or https:// origin, such as https://developers.example.com' }),
    doc: "The developer hub's address as browsers see it. The authorization code grant sends users to its `/authorize` page to sign in and consent. Default: `http://localhost:<hub port>`.",
  },
  {
    path: 'hub.signup',
    env: ['GATEHOUSE_HUB_SIGNUP'],
    flag: 'hub-signup',
    schema: Type.Union(['open', 'approval', 'closed'].map((l) => Type.Literal(l)), { description: 'one of open, approval, closed' }),
    default: 'open',
    doc: 'Who may sign up on the developer hub. `open`: a new account gets the developer role at once; `approval`: it waits until an admin approves it (console → Users); `closed`: no sign-up, admins create accounts.',
  },
  {
    path: 'oauth.issuer',
    env: ['GATEHOUSE_OAUTH_ISSUER'],
    flag: 'oauth-issuer',
    schema: Type.String({ pattern: '^https?://[^?#\\s]+$', description: 'an http:// or https:// URL without query or fragment' }),
    doc: 'The OAuth 2.0 issuer: the `iss` (and `aud`) of JWT access tokens. Default: the gateway\'s public URL (`GATEHOUSE_GATEWAY_PUBLIC_URL`, else `http://localhost:<gateway port>`). Changing it makes JWTs issued before unverifiable.',
  },
  {
    path: 'oauth.revocationPollIntervalMs',
    env: ['GATEHOUSE_OAUTH_REVOCATION_POLL_INTERVAL_MS'],
    flag: 'oauth-revocation-poll-interval-ms',
    schema: Type.Integer({ minimum: 0, maximum: 600_000, description: 'milliseconds from 0 to 600000' }),
    default: 2_000,
    doc: 'How often each node reads the store for access tokens revoked on other nodes. JWTs are verified without the store, so a JWT revoked on one node is refused on the others within this interval (opaque tokens they had cached, too). `0` turns the polling off, for a single node.',
  },
  {
    path: 'cluster.changePollIntervalMs',
    env: ['GATEHOUSE_CHANGE_POLL_INTERVAL_MS'],
    flag: 'change-poll-interval-ms',
    schema: Type.Integer({ minimum: 100, maximum: 600_000, description: 'milliseconds from 100 to 600000' }),
    default: 1_000,
    doc: 'How often each node reads the change log in the store for changes made through other nodes sharing it (deployments, products, developers, apps, credentials, key value maps) and applies them to its routing table and caches. A deploy or a revoked API key made on one node takes effect on the others within about this interval. See [scaling](../scaling.md).',
  },
  { path: 'dataDir', env: ['GATEHOUSE_DATA_DIR'], flag: 'data-dir', schema: Type.String({ minLength: 1, description: 'a directory path' }), default: './data', doc: 'Directory of the embedded SQLite store (`gatehouse.db`). Created when missing.' },
  {
    path: 'databaseUrl',
    env: ['DATABASE_URL', 'GATEHOUSE_DATABASE_URL'],
    flag: 'database-url',
    schema: Type.String({ pattern: '^postgres(ql)?://', description: 'a postgres:// or postgresql:// URL' }),
    secret: true,
    doc: 'PostgreSQL connection URL. When set, Gatehouse uses PostgreSQL instead of SQLite.',
  },
  {
    path: 'redisUrl',
    env: ['REDIS_URL', 'GATEHOUSE_REDIS_URL'],
    flag: 'redis-url',
    schema: Type.String({ pattern: '^rediss?://', description: 'a redis:// or rediss:// URL' }),
    secret: true,
    doc: 'Redis URL for shared quota and spike-arrest counters in a cluster (used from the shared-counters work on; accepted and validated now). Change notices do not need it: they travel through the store (see [scaling](../scaling.md)).',
  },
  {
    path: 'adminToken',
    env: ['GATEHOUSE_ADMIN_TOKEN'],
    flag: 'admin-token',
    schema: Type.String({ minLength: 16, maxLength: 500, pattern: '^\\S+$', description: 'at least 16 characters without spaces' }),
    secret: true,
    doc: 'Token of the bootstrap admin (`admin@gatehouse.local`). Without it, the first start creates the admin and prints a token once. Prefer the environment variable to the flag: flags show in process lists.',
  },
  {
    path: 'secretKey',
    env: ['GATEHOUSE_SECRET_KEY'],
    flag: 'secret-key',
    schema: Type.String({ minLength: 32, maxLength: 500, description: 'at least 32 characters' }),
    secret: true,
    doc: 'Server secret used to encrypt the values of encrypted key value maps (AES-256-GCM under a key derived from it). Without it, the first start generates one and keeps it in the data directory as `secret.key` (mode 0600); back it up with the database, since the values cannot be read without it. With PostgreSQL it must be set, the same on every node: without it, creating an encrypted map fails with `kvm.encryption_unavailable`.',
  },
  {
    path: 'logLevel',
    env: ['GATEHOUSE_LOG_LEVEL'],
    flag: 'log-level',
    schema: Type.Union(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((l) => Type.Literal(l)), { description: 'one of fatal, error, warn, info, debug, trace, silent' }),
    default: 'info',
    doc: 'How much the request log says.',
  },
  {
    path: 'shutdownTimeoutMs',
    env: ['GATEHOUSE_SHUTDOWN_TIMEOUT_MS'],
    flag: 'shutdown-timeout-ms',
    schema: Type.Integer({ minimum: 0, maximum: 600_000, description: 'milliseconds from 0 to 600000' }),
    default: 10_000,
    doc: 'On SIGTERM, how long in-flight requests may take to finish before connections are closed.',
  },
];

export interface ServerConfig {
  gateway: { port: number; host: string; publicUrl?: string | undefined };
  admin: { port: number; host: string };
  hub: { port: number; host: string; publicUrl?: string | undefined; signup: 'open' | 'approval' | 'closed' };
  oauth: { issuer?: string | undefined; revocationPollIntervalMs: number };
  cluster: { changePollIntervalMs: number };
  dataDir: string;
  databaseUrl?: string | undefined;
  redisUrl?: string | undefined;
  adminToken?: string | undefined;
  secretKey?: string | undefined;
  logLevel: string;
  shutdownTimeoutMs: number;
}
