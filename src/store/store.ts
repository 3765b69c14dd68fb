// The store's contract: records and repositories. One SQL implementation (sql/) serves SQLite and PostgreSQL.
import type { ApiSpec } from '../model/api.ts';
import type { AppSpec, AppStatus, CredentialStatus, SubscriptionStatus } from '../model/app.ts';
import type { PageOf } from '../model/common.ts';
import type { DeveloperSpec, DeveloperStatus } from '../model/developer.ts';
import type { ProductSpec } from '../model/product.ts';
import type { Role, UserStatus } from '../model/user.ts';

export interface PageRequest {
  limit: number;
  cursor?: string | undefined;
}

export interface UserRecord {
  id: string;
  email: string;
  displayName: string | null;
  passwordHash: string | null;
  roles: Role[];
  status: UserStatus;
  version: number;
  createdAt: number;
  updatedAt: number;
}

export interface PersonalTokenRecord {
  id: string;
  userId: string;
  name: string;
  tokenHash: string;
  createdAt: number;
  expiresAt: number | null;
}

/** Where a session signs in: the admin console or the developer hub (a session is good on its own surface only). */
export type SessionSurface = 'console' | 'hub';

export interface SessionRecord {
  id: string;
  userId: string;
  /** SHA-256 of the cookie's token; the token itself is never stored. */
  tokenHash: string;
  surface: SessionSurface;
  /** The personal access token the session was opened with, if any: deleting it ends the session. */
  tokenId: string | null;
  createdAt: number;
  expiresAt: number;
}

/** A JWT signing key. It is published (JWKS) from creation until `expiresAt`, and signs from `activatesAt` until `retiresAt`. */
export interface SigningKeyRecord {
  kid: string;
  alg: string;
  publicJwk: Record<string, unknown>;
  /** The private key, encrypted under the server secret (see src/util/cipher.ts). */
  privateKey: string;
  createdAt: number;
  activatesAt: number;
  retiresAt: number | null;
  expiresAt: number | null;
}

export interface ApiRecord {
  id: string;
  name: string;
  latestRevision: number;
  createdAt: number;
  updatedAt: number;
}

export interface ApiRevisionRecord {
  apiId: string;
  revision: number;
  spec: ApiSpec;
  createdAt: number;
  createdBy: string;
}

export interface DeploymentRecord {
  apiId: string;
  apiName: string;
  revision: number;
  basePath: string;
  deployedAt: number;
  deployedBy: string;
}

export interface ProductRecord {
  id: string;
  name: string;
  spec: ProductSpec;
  version: number;
  createdAt: number;
  updatedAt: number;
}

export interface DeveloperRecord {
  id: string;
  email: string;
  spec: DeveloperSpec;
  status: DeveloperStatus;
  userId: string | null;
  version: number;
  createdAt: number;
  updatedAt: number;
}

export interface AppRecord {
  id: string;
  developerId: string;
  name: string;
  spec: AppSpec;
  status: AppStatus;
  version: number;
  createdAt: number;
  updatedAt: number;
}

export interface CredentialProduct {
  name: string;
  status: SubscriptionStatus;
}

export interface CredentialRecord {
  id: string;
  appId: string;
  clientId: string;
  secretHash: string;
  status: CredentialStatus;
  issuedAt: number;
  expiresAt: number | null;
  products: CredentialProduct[];
}

/** `assertion`: a `private_key_jwt` client assertion's jti, kept until it expires so that it is accepted once (RFC 7523 §3). */
export type OAuthTokenKind = 'access' | 'refresh' | 'code' | 'assertion';

/** An issued access token, refresh token or authorization code; only its hash is stored. */
export interface OAuthTokenRecord {
  id: string;
  kind: OAuthTokenKind;
  tokenHash: string;
  clientId: string;
  appId: string;
  developerId: string;
  products: string[];
  scope: string;
  grantType: string;
  endUser: string | null;
  issuedAt: number;
  expiresAt: number | null;
  revokedAt: number | null;
  familyId: string | null;
  attributes: Record<string, string>;
}

export interface AuditRecord {
  id: number;
  at: number;
  actor: string;
  action: string;
  resourceType: string;
  resource: string;
  details: Record<string, unknown>;
}

/** A key value map (Apigee KVM). `api` null: organisation-wide (Apigee's environment scope); else one API's. */
export interface KeyValueMapRecord {
  id: string;
  name: string;
  api: string | null;
  encrypted: boolean;
  description: string | null;
  version: number;
  createdAt: number;
  updatedAt: number;
}

/** One entry of a map. `value` is what is stored: ciphertext when the map is encrypted. */
export interface KeyValueEntryRecord {
  mapId: string;
  key: string;
  value: string;
  updatedAt: number;
}

/**
 * One change notice in the change log, as a node emitted it: what changed (`kind`, `name`, as in manage/changes.ts)
 * and which node said so (`origin`), so that every node sharing the store hears it and none hears its own twice.
 */
export interface ChangeLogRecord {
  id: number;
  at: number;
  kind: string;
  name: string;
  origin: string;
}

export interface AuditFilter {
  actor?: string | undefined;
  resourceType?: string | undefined;
  resource?: string | undefined;
  action?: string | undefined;
  since?: number | undefined;
  until?: number | undefined;
}

/** Thrown by repositories when a unique key is taken; the manage layer turns it into a domain error. */
export class UniqueViolation extends Error {
  readonly constraint: string;
  constructor(constraint: string) {
    super(`unique constraint violated: ${constraint}`);
    this.name = 'UniqueViolation';
    this.constraint = constraint;
  }
}

export interface UserRepository {
  insert(user: UserRecord): Promise<void>;
  getByEmail(email: string): Promise<UserRecord | undefined>;
  getById(id: string): Promise<UserRecord | undefined>;
  list(page: PageRequest): Promise<PageOf<UserRecord>>;
  /** Saves a changed user when its version is still `expectedVersion`; returns false when it is not. */
  update(user: UserRecord, expectedVersion: number): Promise<boolean>;
  delete(id: string): Promise<boolean>;
  countActiveAdmins(): Promise<number>;
}

export interface PersonalTokenRepository {
  insert(token: PersonalTokenRecord): Promise<void>;
  getByHash(tokenHash: string): Promise<PersonalTokenRecord | undefined>;
  listForUser(userId: string): Promise<PersonalTokenRecord[]>;
  delete(userId: string, id: string): Promise<boolean>;
  deleteByName(userId: string, name: string): Promise<number>;
}

export interface SessionRepository {
  insert(session: SessionRecord): Promise<void>;
  getByHash(tokenHash: string): Promise<SessionRecord | undefined>;
  /** Ends one session (sign-out); false when it was already gone. */
  deleteByHash(tokenHash: string): Promise<boolean>;
  /** Ends every session of a user (password change, deactivation); returns how many. */
  deleteForUser(userId: string): Promise<number>;
  /** Deletes sessions that expired before `before`; returns how many. */
  deleteExpired(before: number): Promise<number>;
}

export interface SigningKeyRepository {
  insert(key: SigningKeyRecord): Promise<void>;
  /** Every key, oldest first (there are only ever a handful). */
  list(): Promise<SigningKeyRecord[]>;
  /** Sets when the key stops signing and when it leaves the JWKS; false when no such key. */
  retire(kid: string, retiresAt: number, expiresAt: number): Promise<boolean>;
  /** Deletes keys that left the JWKS before `before`; returns how many. */
  deleteExpired(before: number): Promise<number>;
}

export interface ApiRepository {
  insert(api: ApiRecord, first: ApiRevisionRecord): Promise<void>;
  get(name: string): Promise<ApiRecord | undefined>;
  list(page: PageRequest): Promise<PageOf<ApiRecord>>;
  /** Adds the next revision when the latest is still `expectedLatest`; returns false when it is not. */
  addRevision(revision: ApiRevisionRecord, expectedLatest: number): Promise<boolean>;
  getRevision(apiId: string, revision: number): Promise<ApiRevisionRecord | undefined>;
  listRevisions(apiId: string): Promise<ApiRevisionRecord[]>;
  delete(id: string): Promise<boolean>;
  /** Deploys (or redeploys) a revision; throws UniqueViolation('deployments.base_path') on a base-path conflict. */
  deploy(deployment: Omit<DeploymentRecord, 'apiName'>): Promise<void>;
  undeploy(apiId: string): Promise<boolean>;
  getDeployment(apiId: string): Promise<DeploymentRecord | undefined>;
  getDeploymentByBasePath(basePath: string): Promise<DeploymentRecord | undefined>;
  listDeployments(): Promise<DeploymentRecord[]>;
}

export interface ProductRepository {
  insert(product: ProductRecord): Promise<void>;
  get(name: string): Promise<ProductRecord | undefined>;
  list(page: PageRequest): Promise<PageOf<ProductRecord>>;
  listAll(): Promise<ProductRecord[]>;
  update(product: ProductRecord, expectedVersion: number): Promise<boolean>;
  delete(id: string): Promise<boolean>;
}

export interface DeveloperRepository {
  insert(developer: DeveloperRecord): Promise<void>;
  getByEmail(email: string): Promise<DeveloperRecord | undefined>;
  getById(id: string): Promise<DeveloperRecord | undefined>;
  getByUserId(userId: string): Promise<DeveloperRecord | undefined>;
  list(page: PageRequest): Promise<PageOf<DeveloperRecord>>;
  update(developer: DeveloperRecord, expectedVersion: number): Promise<boolean>;
  delete(id: string): Promise<boolean>;
}

export interface AppRepository {
  insert(app: AppRecord): Promise<void>;
  get(developerId: string, name: string): Promise<AppRecord | undefined>;
  getById(id: string): Promise<AppRecord | undefined>;
  listForDeveloper(developerId: string, page: PageRequest): Promise<PageOf<AppRecord>>;
  namesForDeveloper(developerId: string): Promise<string[]>;
  update(app: AppRecord, expectedVersion: number): Promise<boolean>;
  delete(id: string): Promise<boolean>;
}

export interface CredentialRepository {
  insert(credential: CredentialRecord): Promise<void>;
  getByClientId(clientId: string): Promise<CredentialRecord | undefined>;
  listForApp(appId: string): Promise<CredentialRecord[]>;
  setSecretHash(id: string, secretHash: string): Promise<void>;
  setStatus(id: string, status: CredentialStatus): Promise<void>;
  /** Replaces the product list of a credential (names and statuses). */
  setProducts(id: string, products: CredentialProduct[]): Promise<void>;
  delete(id: string): Promise<boolean>;
  /** "developer/app" of every app holding a credential for the product. */
  appsSubscribedTo(productName: string): Promise<string[]>;
}

export interface OAuthTokenRepository {
  insert(token: OAuthTokenRecord): Promise<void>;
  getByHash(tokenHash: string): Promise<OAuthTokenRecord | undefined>;
  revoke(id: string, at: number): Promise<boolean>;
  revokeFamily(familyId: string, at: number): Promise<number>;
  /** The hashes of access tokens that are revoked and not yet expired at `now` (what a node must refuse after a restart). */
  listRevokedAccess(now: number): Promise<Array<{ tokenHash: string; expiresAt: number | null }>>;
  /**
   * Access tokens revoked at or after `since` and not expired at `now`, oldest revocation first: what the revocation
   * feed polls for, so that nodes sharing the store learn each other's revocations (index oauth_tokens_revoked).
   */
  listRevokedAccessSince(since: number, now: number): Promise<Array<{ tokenHash: string; expiresAt: number | null; revokedAt: number }>>;
  revokeForClient(clientId: string, at: number): Promise<number>;
  /** Deletes tokens that expired before `before`; returns how many. */
  deleteExpired(before: number): Promise<number>;
}

export interface KeyValueMapRepository {
  /** Throws UniqueViolation('key_value_maps.scope_name') when the scope already has a map of this name. */
  insert(map: KeyValueMapRecord): Promise<void>;
  get(api: string | null, name: string): Promise<KeyValueMapRecord | undefined>;
  /** Maps in (api, name) order, organisation-wide ones first; `api` narrows to one API's maps. */
  list(filter: { api?: string | undefined }, page: PageRequest): Promise<PageOf<KeyValueMapRecord>>;
  update(map: KeyValueMapRecord, expectedVersion: number): Promise<boolean>;
  /** Deletes the map and its entries. */
  delete(id: string): Promise<boolean>;
  /** Deletes every map scoped to the API (and their entries); returns their names. */
  deleteForApi(api: string): Promise<string[]>;
  getEntry(mapId: string, key: string): Promise<KeyValueEntryRecord | undefined>;
  /** Entries in key order. */
  listEntries(mapId: string, page: PageRequest): Promise<PageOf<KeyValueEntryRecord>>;
  countEntries(mapId: string): Promise<number>;
  /** Inserts or replaces the entry. */
  putEntry(entry: KeyValueEntryRecord): Promise<void>;
  /** Inserts the entry only when the key is absent; returns false (and changes nothing) when it is present. */
  insertEntry(entry: KeyValueEntryRecord): Promise<boolean>;
  deleteEntry(mapId: string, key: string): Promise<boolean>;
}

export interface ChangeLogRepository {
  /**
   * Appends a notice and returns its id. Ids only grow, but on PostgreSQL an id is taken before its insert commits,
   * so a reader may see a higher id before a lower one that is still committing.
   */
  append(entry: Omit<ChangeLogRecord, 'id'>): Promise<number>;
  /** Notices with an id above `afterId`, lowest id first, at most `limit`. */
  listAfter(afterId: number, limit: number): Promise<ChangeLogRecord[]>;
  /** Those of `ids` that exist, lowest id first. */
  listByIds(ids: readonly number[]): Promise<ChangeLogRecord[]>;
  /** The highest id in the log; 0 when it is empty. */
  lastId(): Promise<number>;
  /** Deletes notices stamped before `before`, except the newest notice, which marks where the log stands; returns how many. */
  deleteBefore(before: number): Promise<number>;
}

export interface AuditRepository {
  append(event: Omit<AuditRecord, 'id'>): Promise<void>;
  list(filter: AuditFilter, page: PageRequest): Promise<PageOf<AuditRecord>>;
}

export interface Repositories {
  readonly users: UserRepository;
  readonly personalTokens: PersonalTokenRepository;
  readonly sessions: SessionRepository;
  readonly signingKeys: SigningKeyRepository;
  readonly apis: ApiRepository;
  readonly products: ProductRepository;
  readonly developers: DeveloperRepository;
  readonly apps: AppRepository;
  readonly credentials: CredentialRepository;
  readonly oauthTokens: OAuthTokenRepository;
  readonly keyValueMaps: KeyValueMapRepository;
  readonly audit: AuditRepository;
  readonly changeLog: ChangeLogRepository;
}

export interface Store extends Repositories {
  readonly dialect: 'sqlite' | 'postgres';
  /** Runs `work` in one transaction: all of its writes land, or none. */
  transaction<T>(work: (tx: Repositories) => Promise<T>): Promise<T>;
  /** Resolves when the database answers. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
