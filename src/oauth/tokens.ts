// OAuth tokens. Opaque access tokens: their row's time-ordered id and 32 random bytes, stored under a key made of that
// id and the token's SHA-256 (token-keys.ts) with one write, verified from an LRU cache. JWT access tokens (RFC 9068):
// signed with the current signing key, stored too (under a key made from their jti, for revocation and
// introspection), verified from their signature and claims without a store read; revoked ones are refused from an
// in-memory set that a start fills from the store and the revocation feed keeps up to date. Refresh tokens are always
// opaque and rotate: each refresh marks the old one used and issues the next pair of its grant chain (family);
// presenting a used refresh token again revokes the whole family (RFC 6819 §5.2.2.3, OAuth 2.0 Security BCP §4.14.2).
import type { AccessTokenFormat, IssuedRefreshToken, IssuedToken, IssuedTokenPair, KeyRecord, RefreshTokenInfo, ResourceOwner, TokenInfo, TokenService } from '../policies/policy.ts';
import type { OAuthTokenKind, OAuthTokenRecord, Repositories } from '../store/index.ts';
import type { Clock } from '../util/clock.ts';
import { newId, newTimeOrderedId } from '../util/secrets.ts';
import { accessTokenClaims, tokenInfoFromClaims } from './jwt-claims.ts';
import { looksLikeJwt, verifyJwt, type JwsAlgorithm, type JwsKey } from './jwt.ts';
import { JwtSigningBatch } from './jwt-batch.ts';
import { StoreResourceOwners, type ResourceOwners } from './resource-owners.ts';
import type { SigningKeys } from './signing-keys.ts';
import { jwtKey, newOpaqueToken, tokenKey } from './token-keys.ts';
import { Lru } from '../util/lru.ts';
import type { MaybePromise } from '../util/maybe-promise.ts';

/** What JWT access tokens need: the signing keys, and the issuer (also the audience) they name. */
export interface JwtIssuing {
  keys: SigningKeys;
  issuer: () => string;
}

/** After an unknown kid, keys are re-read from the store at most this often (another node may have rotated). */
const KEY_RELOAD_INTERVAL_MS = 10_000;

/** From this many remembered revocations on, expired ones are swept before another is added. */
const PRUNE_REVOKED_AT = 100_000;

const OPAQUE: AccessTokenFormat = { kind: 'opaque' };

/** Where a refresh token keeps how many refreshes led to it (refresh records only; never shown as a token attribute). */
const REFRESH_COUNT = 'gatehouse.refresh_count';

function toInfo(record: OAuthTokenRecord): TokenInfo {
  const { [REFRESH_COUNT]: _count, ...attributes } = record.attributes;
  return {
    clientId: record.clientId,
    appId: record.appId,
    products: record.products,
    scope: record.scope,
    grantType: record.grantType,
    endUser: record.endUser,
    issuedAt: record.issuedAt,
    expiresAt: record.expiresAt,
    revoked: record.revokedAt !== null,
    attributes,
  };
}

function toRefreshInfo(record: OAuthTokenRecord & { familyId: string }): RefreshTokenInfo {
  const count = Number(record.attributes[REFRESH_COUNT] ?? '0');
  return { ...toInfo(record), familyId: record.familyId, refreshCount: Number.isSafeInteger(count) && count >= 0 ? count : 0 };
}

/** A verified JWT access token: what it grants, the hash of its id (for revocation), its grant chain, its key's kid. */
interface VerifiedJwt {
  readonly info: TokenInfo;
  readonly jtiKey: string;
  readonly familyId: string | null;
  readonly expiresAt: number | null;
  readonly kid: string;
}

/** How many verified JWTs are remembered (about 1 KB each). */
const VERIFIED_JWT_CACHE = 10_000;

interface Cached {
  readonly info: TokenInfo;
  readonly familyId: string | null;
  /** The key the token is stored under: revocations other nodes store arrive by it. */
  readonly key: string;
}

interface Grant {
  clientId: string;
  appId: string;
  developerId: string;
  products: readonly string[];
  scope: string;
  grantType: string;
  endUser: string | null;
}

const grantOf = (key: KeyRecord, input: { products: readonly string[]; scope: string; grantType: string; endUser?: string | null | undefined }): Grant => ({
  clientId: key.clientId,
  appId: key.app.id,
  developerId: key.developer.id,
  products: input.products,
  scope: input.scope,
  grantType: input.grantType,
  endUser: input.endUser ?? null,
});

export class OpaqueTokens implements TokenService {
  readonly #store: Repositories;
  readonly #clock: Clock;
  readonly #cache: Lru<string, Cached>;
  /** Counts stored revocations; a lookup caches what it read only if none happened meanwhile. */
  #revocations = 0;
  readonly #owners: ResourceOwners;
  readonly #jwt: JwtIssuing | undefined;
  /** Revoked JWTs (by jti hash) and revoked grant chains, with when they expire (null: never). */
  readonly #revokedJwts = new Map<string, number | null>();
  readonly #revokedFamilies = new Set<string>();
  #pruneAt = PRUNE_REVOKED_AT;
  readonly #verified = new Lru<string, { kid: string; key: JwsKey; result: VerifiedJwt }>(VERIFIED_JWT_CACHE);
  #keysReloadedAt = Number.NEGATIVE_INFINITY;
  readonly #signing = new JwtSigningBatch();

  constructor(store: Repositories, clock: Clock, cacheSize = 100_000, owners: ResourceOwners = new StoreResourceOwners(store.users), jwt?: JwtIssuing) {
    this.#store = store;
    this.#clock = clock;
    this.#cache = new Lru(cacheSize);
    this.#owners = owners;
    this.#jwt = jwt;
  }

  get issuesJwt(): boolean {
    return this.#jwt !== undefined;
  }

  /** Learns from the store which access tokens are revoked (at start: JWTs are otherwise verified without it). */
  async loadRevocations(): Promise<void> {
    for (const { tokenHash, expiresAt } of await this.#store.oauthTokens.listRevokedAccess(this.#clock.now())) this.#rememberRevoked(tokenHash, expiresAt);
  }

  /**
   * Learns revocations that any node stored (the revocation feed polls for them): those JWTs are refused from now on,
   * and cached opaque tokens among them are dropped, so the next lookup reads the store and sees the revocation.
   */
  learnRevocations(records: Iterable<{ tokenHash: string; expiresAt: number | null }>): void {
    this.#forget(() => {
      const keys = new Set<string>();
      for (const { tokenHash, expiresAt } of records) {
        this.#rememberRevoked(tokenHash, expiresAt);
        keys.add(tokenHash);
      }
      // The cache is keyed by token, not by stored key: one pass over it per poll that brought revocations.
      if (keys.size > 0) this.#cache.deleteWhere((entry) => keys.has(entry.key));
    });
  }

  #rememberRevoked(hash: string, expiresAt: number | null): void {
    // Expired entries go (an expired token is refused anyway); a live revoked one is never forgotten, since JWT
    // verification has nothing else to go by. The set holds revoked, unexpired tokens only: short lifetimes keep it small.
    if (this.#revokedJwts.size >= this.#pruneAt) {
      const now = this.#clock.now();
      for (const [key, expiry] of this.#revokedJwts) if (expiry !== null && expiry <= now) this.#revokedJwts.delete(key);
      // Sweep again only once the set has doubled, so a flood of revocations costs amortised O(1) each.
      this.#pruneAt = Math.max(PRUNE_REVOKED_AT, this.#revokedJwts.size * 2);
    }
    this.#revokedJwts.set(hash, expiresAt);
  }

  /** The current signing key for `alg`, made first when there is none yet. */
  async #signer(alg: JwsAlgorithm): Promise<JwsKey> {
    const jwt = this.#requireJwt();
    const current = jwt.keys.signer(alg);
    if (current) return current;
    await jwt.keys.ensureCurrent(alg);
    const made = jwt.keys.signer(alg);
    if (!made) throw new Error(`No ${alg} signing key could be made.`);
    return made;
  }

  #requireJwt(): JwtIssuing {
    if (!this.#jwt) throw new Error('JWT access tokens need signing keys, and this server has none (no server secret).');
    return this.#jwt;
  }

  /** A JWT verified before, while the key that signed it is still published; else undefined. */
  #verifiedJwtInMemory(token: string): VerifiedJwt | undefined {
    const seen = this.#verified.get(token);
    return seen && this.#jwt?.keys.keyFor(seen.kid) === seen.key ? seen.result : undefined;
  }

  /** Verifies a JWT and reads its claims: undefined for a bad signature, an unknown key, another issuer or bad claims. */
  async #verifiedJwt(token: string): Promise<VerifiedJwt | undefined> {
    const jwt = this.#jwt;
    if (!jwt) return undefined;
    // A client sends one token many times and a signature check is the dearest part of a call (ES256: ~0.1 ms), so
    // a token verified before is taken from memory while the key that signed it is still published. Keyed by the
    // whole token: any other token, however alike, is verified afresh. Expiry and revocation are checked by callers.
    const seen = this.#verifiedJwtInMemory(token);
    if (seen) return seen;
    const result = await this.#verifyJwtAfresh(jwt, token);
    if (result) {
      const kid = result.kid;
      const key = jwt.keys.keyFor(kid);
      if (key) this.#verified.set(token, { kid, key, result });
    }
    return result;
  }

  async #verifyJwtAfresh(jwt: JwtIssuing, token: string): Promise<VerifiedJwt | undefined> {
    let checked = verifyJwt(token, (kid) => jwt.keys.keyFor(kid));
    if (!checked.ok && checked.reason === 'unknown_kid' && this.#clock.now() - this.#keysReloadedAt >= KEY_RELOAD_INTERVAL_MS) {
      this.#keysReloadedAt = this.#clock.now();
      await jwt.keys.reload();
      checked = verifyJwt(token, (kid) => jwt.keys.keyFor(kid));
    }
    if (!checked.ok) return undefined;
    const issuer = jwt.issuer();
    const read = tokenInfoFromClaims(checked.claims, { issuer, audience: issuer });
    if (!read) return undefined;
    const { jti, familyId, ...info } = read;
    return { info, jtiKey: jwtKey(jti), familyId, expiresAt: info.expiresAt, kid: String(checked.header.kid) };
  }

  /** Writes one token; only its hash is stored. */
  async #insert(
    kind: OAuthTokenKind,
    grant: Grant,
    expiresInMs: number | null,
    familyId: string | null,
    attributes: Record<string, string> = {},
    format: AccessTokenFormat = OPAQUE,
  ): Promise<{ token: string; record: OAuthTokenRecord }> {
    const issuedAt = this.#clock.now();
    const expiresAt = expiresInMs === null ? null : issuedAt + expiresInMs;
    let id: string;
    let token: string;
    let tokenHash: string;
    if (kind === 'access' && format.kind === 'jwt') {
      const signer = await this.#signer(format.alg);
      id = newTimeOrderedId(issuedAt);
      const issuer = this.#requireJwt().issuer();
      // Signed before the row is written, so a key that cannot sign leaves no row behind (jwt-batch.ts: why batched).
      token = await this.#signing.sign(signer, accessTokenClaims({ issuer, audience: issuer, jti: id, ...grant, issuedAt, expiresAt, familyId }));
      tokenHash = jwtKey(id);
    } else {
      ({ id, token } = newOpaqueToken(issuedAt));
      tokenHash = tokenKey(token);
    }
    const record: OAuthTokenRecord = {
      id,
      kind,
      tokenHash,
      clientId: grant.clientId,
      appId: grant.appId,
      developerId: grant.developerId,
      products: [...grant.products],
      scope: grant.scope,
      grantType: grant.grantType,
      endUser: grant.endUser,
      issuedAt,
      expiresAt,
      revokedAt: null,
      familyId,
      attributes,
    };
    // Not cached here: the cache holds tokens in use (cached at their first lookup). Caching every issued token filled
    // it with tokens never presented to this node, pushing out live ones, and cost ~100 MB under a token flood (bench).
    await this.#store.oauthTokens.insert(record);
    return { token, record };
  }

  /** The next access token and refresh token of a family. */
  async #issuePair(
    grant: Grant,
    refreshScope: string,
    refreshProducts: readonly string[],
    familyId: string,
    refreshCount: number,
    expiresInMs: number | null,
    refreshExpiresInMs: number | null,
    format: AccessTokenFormat = OPAQUE,
  ): Promise<IssuedTokenPair> {
    // Both rows at once, not one after the other: opaque ones go in one group commit (a turn of the event loop less for
    // the caller); a JWT's row follows its signature while the refresh row is written.
    const [access, refresh] = await Promise.all([
      this.#insert('access', grant, expiresInMs, familyId, {}, format),
      this.#insert('refresh', { ...grant, scope: refreshScope, products: refreshProducts }, refreshExpiresInMs, familyId, { [REFRESH_COUNT]: String(refreshCount) }),
    ]);
    const accessToken: IssuedToken = { token: access.token, issuedAt: access.record.issuedAt, expiresAt: access.record.expiresAt, scope: access.record.scope, products: access.record.products };
    const refreshToken: IssuedRefreshToken = { token: refresh.token, issuedAt: refresh.record.issuedAt, expiresAt: refresh.record.expiresAt, scope: refresh.record.scope, products: refresh.record.products, familyId, refreshCount };
    return { accessToken, refreshToken };
  }

  async issueAccessToken(input: { key: KeyRecord; products: readonly string[]; scope: string; grantType: string; expiresInMs: number | null; endUser?: string | null; format?: AccessTokenFormat }): Promise<IssuedToken> {
    const { token, record } = await this.#insert('access', grantOf(input.key, input), input.expiresInMs, null, {}, input.format);
    return { token, issuedAt: record.issuedAt, expiresAt: record.expiresAt, scope: record.scope, products: record.products };
  }

  /** A token verified or read before is answered at once, not as a promise: a warm call goes on in the same turn. */
  lookupAccessToken(token: string): MaybePromise<TokenInfo | undefined> {
    if (this.#jwt && looksLikeJwt(token)) {
      const seen = this.#verifiedJwtInMemory(token);
      if (seen) return this.#jwtInfo(seen);
      return this.#verifiedJwt(token).then((verified) => (verified ? this.#jwtInfo(verified) : undefined));
    }
    // Keyed by the token itself, as the JWT cache is: hashing it on every call cost more than the rest of the step
    // (SHA-256 through createHash, ~6 µs; bench --cpu-prof). Tokens are in this process's memory while in use anyway.
    const cached = this.#cache.get(token);
    if (cached) return cached.info;
    return this.#readAccessToken(token);
  }

  /** A verified JWT's grant, marked revoked when it or its family was revoked. */
  #jwtInfo({ info, familyId, jtiKey }: VerifiedJwt): TokenInfo {
    const revoked = this.#revokedJwts.has(jtiKey) || (familyId !== null && this.#revokedFamilies.has(familyId));
    return revoked ? { ...info, revoked } : info;
  }

  async #readAccessToken(token: string): Promise<TokenInfo | undefined> {
    // A revocation that lands while this read is on its way must not be undone by caching what the read saw.
    const epoch = this.#revocations;
    const key = tokenKey(token);
    const record = await this.#store.oauthTokens.getByHash(key);
    if (!record || record.kind !== 'access') return undefined;
    const info = toInfo(record);
    if (epoch === this.#revocations) this.#cache.set(token, { info, familyId: record.familyId, key });
    return info;
  }

  async revokeAccessToken(token: string): Promise<boolean> {
    if (this.#jwt && looksLikeJwt(token)) {
      // Only a JWT this issuer signed names a token of ours; anything else revokes nothing (RFC 7009 §2.2).
      const verified = await this.#verifiedJwt(token);
      if (!verified) return false;
      const hash = verified.jtiKey;
      this.#rememberRevoked(hash, verified.expiresAt);
      const record = await this.#store.oauthTokens.getByHash(hash);
      return record !== undefined && record.revokedAt === null && (await this.#store.oauthTokens.revoke(record.id, this.#clock.now()));
    }
    const record = await this.#store.oauthTokens.getByHash(tokenKey(token));
    if (!record || record.revokedAt !== null) {
      this.#forget(() => this.#cache.delete(token));
      return false;
    }
    const revoked = await this.#store.oauthTokens.revoke(record.id, this.#clock.now());
    this.#forget(() => this.#cache.delete(token));
    return revoked;
  }

  /** Drops cache entries after a revocation is stored, and tells lookups in flight not to cache what they read. */
  #forget(drop: () => void): void {
    this.#revocations++;
    drop();
  }

  async issueTokenPair(input: { key: KeyRecord; products: readonly string[]; scope: string; grantType: string; endUser: string | null; expiresInMs: number | null; refreshExpiresInMs: number | null; familyId?: string; format?: AccessTokenFormat }): Promise<IssuedTokenPair> {
    return this.#issuePair(grantOf(input.key, input), input.scope, input.products, input.familyId ?? newId(), 0, input.expiresInMs, input.refreshExpiresInMs, input.format);
  }

  async lookupRefreshToken(token: string): Promise<RefreshTokenInfo | undefined> {
    const record = await this.#store.oauthTokens.getByHash(tokenKey(token));
    if (!record || record.kind !== 'refresh' || record.familyId === null) return undefined;
    return toRefreshInfo({ ...record, familyId: record.familyId });
  }

  async rotateRefreshToken(token: string, next: { products: readonly string[]; scope: string; expiresInMs: number | null; refreshExpiresInMs: number | null; format?: AccessTokenFormat }): Promise<IssuedTokenPair | undefined> {
    const record = await this.#store.oauthTokens.getByHash(tokenKey(token));
    if (!record || record.kind !== 'refresh' || record.familyId === null) return undefined;
    if (record.revokedAt !== null) {
      await this.revokeTokenFamily(record.familyId);
      return undefined;
    }
    const { refreshCount } = toRefreshInfo({ ...record, familyId: record.familyId });
    const grant: Grant = { clientId: record.clientId, appId: record.appId, developerId: record.developerId, products: next.products, scope: next.scope, grantType: record.grantType, endUser: record.endUser };
    // RFC 6749 §6: the new refresh token keeps the scope of the old one; only the access token is narrowed.
    // The new pair is written before the old token is marked used: of two refreshes racing with one token, the store
    // lets one mark it (it revokes only a live token and says whether it did), and the loser's family revocation
    // then also reaches the winner's pair, which is already stored.
    const pair = await this.#issuePair(grant, record.scope, record.products, record.familyId, refreshCount + 1, next.expiresInMs, next.refreshExpiresInMs, next.format);
    if (!(await this.#store.oauthTokens.revoke(record.id, this.#clock.now()))) {
      await this.revokeTokenFamily(record.familyId);
      return undefined;
    }
    return pair;
  }

  async revokeTokenFamily(familyId: string): Promise<number> {
    // Before and after the write: cached tokens of the family stop at once, and lookups in flight cache nothing.
    this.#forget(() => this.#cache.deleteWhere((entry) => entry.familyId === familyId));
    this.#revokedFamilies.add(familyId);
    const count = await this.#store.oauthTokens.revokeFamily(familyId, this.#clock.now());
    this.#forget(() => this.#cache.deleteWhere((entry) => entry.familyId === familyId));
    return count;
  }

  authenticateUser(username: string, password: string): Promise<ResourceOwner | undefined> {
    return this.#owners.authenticate(username, password);
  }

  userIsActive(email: string): Promise<boolean> {
    return this.#owners.isActive(email);
  }
}
