// The policy contract (our PDK): what a policy is, what a step may touch per message, and how it fails.
// The gateway implements these interfaces; policies never import the gateway.
import type { JwsAlgorithm } from '../oauth/jwt.ts';
import type { PublicJwk } from '../model/app.ts';
import type { ClientAssertionVerifier } from '../oauth/client-assertion.ts';
import type { AuthorizationCodeStore } from '../oauth/authorization-codes.ts';
import type { AuthorizationSeals } from '../oauth/authorization-requests.ts';
import type { Static, TSchema } from '@sinclair/typebox';
import type { Counters } from '../counters/counters.ts';
import type { Clock } from '../util/clock.ts';
import type { MaybePromise } from '../util/maybe-promise.ts';
import type { ResponseCacheStore } from './response-cache/store.ts';

/** A flow variable's value; undefined = not set. */
export type VariableValue = string | number | boolean | undefined;

/**
 * Variables set together; see FlowContext.setAll. A ReadonlyMap is one; so is an object that answers from fields of
 * its own (a step's per-call values), which costs less than a map entry each. `keys()` names exactly what `has()` holds.
 */
export interface VariableLayer {
  has(name: string): boolean;
  get(name: string): VariableValue;
  keys(): Iterable<string>;
}

/** Headers as a step sees them: lower-case names. */
export type Headers = Record<string, string | string[] | undefined>;

export interface RequestView {
  readonly method: string;
  /** The path as the client sent it (no query). */
  readonly path: string;
  /** The path after the API's base path (`proxy.pathsuffix`), '' for the base path itself. */
  readonly pathSuffix: string;
  readonly query: URLSearchParams;
  readonly headers: Headers;
  readonly clientIp: string;
  header(name: string): string | undefined;
  setHeader(name: string, value: string): void;
  removeHeader(name: string): void;
  /** Reads the whole body (buffered once; later reads get the same bytes). */
  readBody(): Promise<Buffer>;
  /** Reads an `application/x-www-form-urlencoded` body; empty when the body is not a form. */
  readForm(): Promise<URLSearchParams>;
  setBody(body: Buffer | string): void;
}

export interface ResponseView {
  status: number;
  readonly headers: Headers;
  header(name: string): string | undefined;
  setHeader(name: string, value: string): void;
  removeHeader(name: string): void;
  readBody(): Promise<Buffer>;
  setBody(body: Buffer | string): void;
}

/** Who the message is from, as established by a security step; feeds analytics, quotas and flow variables. */
export interface Caller {
  clientId: string;
  appId: string;
  appName: string;
  developerId: string;
  developerEmail: string;
  /** The product that matched this call, if any. */
  product?: string | undefined;
  scopes?: readonly string[];
}

export interface FlowContext {
  readonly api: { readonly name: string; readonly revision: number; readonly basePath: string };
  readonly request: RequestView;
  /** The response: the target's, or the one a step wrote with respond(). Present in the response flow. */
  readonly response: ResponseView | undefined;
  /** Reads a flow variable (`request.verb`, `proxy.pathsuffix`, `client_id`, …); see the gateway docs. */
  get(name: string): VariableValue;
  set(name: string, value: VariableValue): void;
  /**
   * Sets every variable of `layer` at once, as if by set() in turn, by keeping a reference to it: for variables a step
   * sets alike on many calls (a credential's, computed once). The layer must not change afterwards.
   */
  setAll(layer: VariableLayer): void;
  /**
   * Adds a header to whatever response is finally sent (the target's, a step's, or a fault), after the response
   * flows; for steps in the request flow that have something to say on the way back (quota's RateLimit-*).
   */
  addResponseHeader(name: string, value: string): void;
  /** Answers the client from this step; the target is skipped and the response flow still runs. */
  respond(status: number, body?: Buffer | string | object, headers?: Record<string, string>): void;
  caller: Caller | undefined;
  /** Milliseconds since the epoch, from the injected clock. */
  now(): number;
}

/** What a step runs per message. Named functions, please: stack traces and profiles then read like the flow. */
export type StepFunction = (context: FlowContext) => void | Promise<void>;

/** Where a step sits; a step may refuse to be placed where it makes no sense (a response-only policy, say). */
export interface StepPlacement {
  readonly api: string;
  readonly stepName: string;
  readonly phase: 'request' | 'response' | 'fault';
}

/** The narrow dependencies a policy may use; nothing else reaches the world. */
export interface PolicyDeps {
  readonly clock: Clock;
  readonly counters: Counters;
  readonly keys: KeyLookup;
  readonly tokens: TokenService;
  /** Where response-cache steps keep responses; shared by an API's lookup and populate steps. */
  readonly responseCache: ResponseCacheStore;
  /** Key value maps (Apigee KVMs), for key-value-map steps. */
  readonly kvm: KeyValueMaps;
  /** Checks `private_key_jwt` client assertions (RFC 7523); absent where not wired (unit tests), and then such clients are refused. */
  readonly clientAssertions?: ClientAssertionVerifier;
  /** The authorization code grant's parts; absent where no login page is wired (unit tests). */
  readonly authorization?: AuthorizationServer;
}

/** What the authorization endpoint and the authorization code grant need beside tokens. */
export interface AuthorizationServer {
  readonly seals: AuthorizationSeals;
  readonly codes: AuthorizationCodeStore;
  /** The default login and consent page (the developer hub's `/authorize`). */
  loginPageUrl(): string;
  /** The gateway as browsers reach it. */
  gatewayUrl(): string;
  /** The issuer, sent back with the code (RFC 9207). */
  issuer(): string;
}

// ---- key value maps, as key-value-map steps read and write them ----

/** What a read found: whether the map is encrypted, and the value (decrypted; undefined when the key is absent). */
export interface KeyValueRead {
  readonly encrypted: boolean;
  readonly value: string | undefined;
}

/**
 * Key value maps by scope and name; `api` null = organisation-wide (Apigee's environment scope), else that API's
 * (Apigee's apiproxy scope). Reads may come from a cache no older than `maxAgeMs`; any change made through the
 * management API or a step drops the cached map at once. Failures (store down, no secret key for an encrypted map,
 * a value over 10 KB) reject with an Error whose message says why.
 */
export interface KeyValueMaps {
  /** The value under `key`, or undefined when there is no such map. */
  get(api: string | null, map: string, key: string, maxAgeMs: number): Promise<KeyValueRead | undefined>;
  /** Writes the entry, creating the map (unencrypted) when missing; with `override` false an existing key is kept and the answer is false. */
  put(api: string | null, map: string, key: string, value: string, override: boolean): Promise<boolean>;
  /** Removes the entry; false when it (or the map) was not there. */
  delete(api: string | null, map: string, key: string): Promise<boolean>;
  /** Writes `entries` when the map has none (creating it, unencrypted, when missing); answers whether it wrote them. */
  initialize(api: string | null, map: string, entries: Readonly<Record<string, string>>): Promise<boolean>;
}

/** One fault a policy can raise, for its reference page and the error catalogue. */
export interface PolicyFaultDoc {
  /** Gatehouse's stable code (must be in the error catalogue, src/errors.ts). */
  readonly code: string;
  readonly status: number;
  /** Apigee's `fault.name`, which fault rules match on. */
  readonly faultName: string;
  /** Apigee's `errorcode` in the Apigee fault format. */
  readonly apigeeCode: string;
  /** When it happens, for people. */
  readonly when: string;
}

export interface PolicyDefinition<S extends TSchema = TSchema> {
  /** The policy's name: its folder, its config key, its docs page, its error-code prefix. */
  readonly name: string;
  /** One line for the console's policy list and the docs. */
  readonly summary: string;
  /** The Apigee element it maps to, for import. */
  readonly apigee: string;
  /** The config schema: types, defaults, docs and the console's form. */
  readonly config: S;
  /** The faults it raises. */
  readonly errors: readonly PolicyFaultDoc[];
  /** Flow variables it sets, name -> meaning (for its reference page). */
  readonly variables?: Readonly<Record<string, string>>;
  /** Validates and compiles once at deploy; returns the function that runs per message. Throws PolicyConfigError. */
  create(config: Static<S>, deps: PolicyDeps, placement: StepPlacement): StepFunction;
}

/** The policies steps can name, by name. */
export type PolicyRegistry = ReadonlyMap<string, PolicyDefinition>;

/** A configuration the schema allows but the policy cannot use; fails the deploy with this message. */
export class PolicyConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PolicyConfigError';
  }
}

/**
 * A step's failure, rendered by the gateway in the API's fault format. `name` is Apigee's `fault.name`
 * (fault rules match on it); `code` is Gatehouse's stable code; `apigeeCode` is Apigee's `errorcode`.
 */
export class StepFault extends Error {
  readonly faultName: string;
  readonly code: string;
  readonly apigeeCode: string;
  readonly status: number;
  readonly headers: Record<string, string>;
  /** A body that replaces the rendered error (the RFC 6749 JSON of a token endpoint, say). */
  readonly body: object | undefined;
  constructor(init: { faultName: string; code: string; apigeeCode: string; status: number; message: string; headers?: Record<string, string>; body?: object }) {
    super(init.message);
    this.name = 'StepFault';
    this.faultName = init.faultName;
    this.code = init.code;
    this.apigeeCode = init.apigeeCode;
    this.status = init.status;
    this.headers = init.headers ?? {};
    this.body = init.body;
  }
}

// ---- what security policies look up, without waiting on SQL when warm ----

export interface ProductGrant {
  readonly name: string;
  /** API names; with `resources` narrowing per API (absent = whole API). */
  readonly apis: ReadonlyMap<string, ReadonlyArray<{ path: string; methods?: readonly string[] | undefined }> | undefined>;
  readonly scopes: readonly string[];
  readonly quota?: { limit: number; interval: number; timeUnit: string } | undefined;
  readonly attributes: Readonly<Record<string, string>>;
}

/** A credential with everything a security step checks, as of now (refreshed on change). */
export interface KeyRecord {
  readonly clientId: string;
  readonly secretHash: string;
  readonly credentialStatus: 'approved' | 'revoked';
  readonly expiresAt: number | null;
  readonly app: {
    id: string;
    name: string;
    status: 'approved' | 'revoked';
    callbackUrls: readonly string[];
    allowPasswordGrant: boolean;
    /** How the app's clients authenticate at the token endpoint; `none` = a public client (PKCE required). */
    tokenEndpointAuthMethod: 'client_secret' | 'private_key_jwt' | 'none';
    /** The public keys of a `private_key_jwt` client. */
    jwks: readonly PublicJwk[];
    attributes: Readonly<Record<string, string>>;
  };
  readonly developer: { id: string; email: string; status: 'active' | 'inactive'; firstName: string; lastName: string; attributes: Readonly<Record<string, string>> };
  /** Products whose subscription on this credential is approved. */
  readonly products: readonly ProductGrant[];
}

export interface KeyLookup {
  /**
   * The credential with this client id, or undefined. Cached; invalidated when anything it depends on changes. A
   * cached key is answered at once, not as a promise.
   */
  find(clientId: string): MaybePromise<KeyRecord | undefined>;
}

export interface IssuedToken {
  readonly token: string;
  readonly issuedAt: number;
  readonly expiresAt: number | null;
  readonly scope: string;
  readonly products: readonly string[];
}

export interface TokenInfo {
  readonly clientId: string;
  /** The app the token was issued to; a client id re-imported under another app does not inherit its tokens. */
  readonly appId: string;
  readonly products: readonly string[];
  readonly scope: string;
  readonly grantType: string;
  readonly endUser: string | null;
  readonly issuedAt: number;
  readonly expiresAt: number | null;
  readonly revoked: boolean;
  readonly attributes: Readonly<Record<string, string>>;
}

/** A refresh token as stored: what its grant was for, and the grant chain (family) it belongs to. */
export interface RefreshTokenInfo extends TokenInfo {
  /** Shared by every access and refresh token of one grant chain; reusing a rotated refresh token revokes them all. */
  readonly familyId: string;
  /** How many refreshes led to this token: 0 for the one the original grant issued. */
  readonly refreshCount: number;
}

/** A refresh token just issued. */
export interface IssuedRefreshToken extends IssuedToken {
  readonly familyId: string;
  readonly refreshCount: number;
}

/** What a grant that comes with a refresh token (password, refresh_token) issues. */
export interface IssuedTokenPair {
  readonly accessToken: IssuedToken;
  readonly refreshToken: IssuedRefreshToken;
}

/** A Gatehouse user whose password was right (the resource owner of the password grant). */
export interface ResourceOwner {
  readonly userId: string;
  readonly email: string;
}

/** How an access token is made: opaque (random, looked up) or a signed JWT (RFC 9068, verified without a lookup). */
export type AccessTokenFormat = { readonly kind: 'opaque' } | { readonly kind: 'jwt'; readonly alg: JwsAlgorithm };

/** OAuth tokens: issued with one write, verified from a cache when warm. */
export interface TokenService {
  /** Whether JWT access tokens can be issued here (they need signing keys, hence the server secret). */
  readonly issuesJwt: boolean;
  issueAccessToken(input: { key: KeyRecord; products: readonly string[]; scope: string; grantType: string; expiresInMs: number | null; endUser?: string | null; format?: AccessTokenFormat }): Promise<IssuedToken>;
  /** The token's grant, or undefined when it is not one of ours. A token in memory is answered at once, not as a promise. */
  lookupAccessToken(token: string): MaybePromise<TokenInfo | undefined>;
  revokeAccessToken(token: string): Promise<boolean>;
  /** Issues an access token and a refresh token that start a grant chain (family): a new one, or `familyId` (an authorization code's). */
  issueTokenPair(input: { key: KeyRecord; products: readonly string[]; scope: string; grantType: string; endUser: string | null; expiresInMs: number | null; refreshExpiresInMs: number | null; familyId?: string; format?: AccessTokenFormat }): Promise<IssuedTokenPair>;
  /** A refresh token as stored (never cached: whether it was used must be current), or undefined. */
  lookupRefreshToken(token: string): Promise<RefreshTokenInfo | undefined>;
  /**
   * Marks the refresh token used and issues the next pair of its chain: the access token with `scope` and `products`,
   * the refresh token with the chain's original scope (RFC 6749 §6). When the token was already used (before, or by a
   * concurrent refresh that won), revokes the whole chain, the pair just made included, and answers undefined.
   */
  rotateRefreshToken(token: string, next: { products: readonly string[]; scope: string; expiresInMs: number | null; refreshExpiresInMs: number | null; format?: AccessTokenFormat }): Promise<IssuedTokenPair | undefined>;
  /** Revokes every access and refresh token of a grant chain; answers how many were still live. */
  revokeTokenFamily(familyId: string): Promise<number>;
  /** The active user with this email and password, or undefined (the same for every failure: no user enumeration). */
  authenticateUser(username: string, password: string): Promise<ResourceOwner | undefined>;
  /** Whether the user with this email exists and is active (a password grant's chain ends when it is not). */
  userIsActive(email: string): Promise<boolean>;
}
