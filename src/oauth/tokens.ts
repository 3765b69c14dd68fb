// Opaque access tokens: 32 random bytes, stored as a SHA-256 hash with one write, verified from an LRU cache.
import { randomBytes } from 'node:crypto';
import type { IssuedToken, KeyRecord, TokenInfo, TokenService } from '../policies/policy.ts';
import type { OAuthTokenRecord, Repositories } from '../store/index.ts';
import type { Clock } from '../util/clock.ts';
import { hashSecret, newId } from '../util/secrets.ts';

/** A small LRU on Map's insertion order. */
class Lru<K, V> {
  readonly #map = new Map<K, V>();
  readonly #max: number;
  constructor(max: number) {
    this.#max = max;
  }
  get(key: K): V | undefined {
    const value = this.#map.get(key);
    if (value !== undefined) {
      this.#map.delete(key);
      this.#map.set(key, value);
    }
    return value;
  }
  set(key: K, value: V): void {
    this.#map.delete(key);
    this.#map.set(key, value);
    if (this.#map.size > this.#max) this.#map.delete(this.#map.keys().next().value as K);
  }
  delete(key: K): void {
    this.#map.delete(key);
  }
}

function toInfo(record: OAuthTokenRecord): TokenInfo {
  return {
    clientId: record.clientId,
    products: record.products,
    scope: record.scope,
    grantType: record.grantType,
    endUser: record.endUser,
    issuedAt: record.issuedAt,
    expiresAt: record.expiresAt,
    revoked: record.revokedAt !== null,
    attributes: record.attributes,
  };
}

export class OpaqueTokens implements TokenService {
  readonly #store: Repositories;
  readonly #clock: Clock;
  readonly #cache: Lru<string, TokenInfo>;

  constructor(store: Repositories, clock: Clock, cacheSize = 100_000) {
    this.#store = store;
    this.#clock = clock;
    this.#cache = new Lru(cacheSize);
  }

  async issueAccessToken(input: { key: KeyRecord; products: readonly string[]; scope: string; grantType: string; expiresInMs: number | null; endUser?: string | null }): Promise<IssuedToken> {
    const token = randomBytes(32).toString('base64url');
    const issuedAt = this.#clock.now();
    const record: OAuthTokenRecord = {
      id: newId(),
      kind: 'access',
      tokenHash: hashSecret(token),
      clientId: input.key.clientId,
      appId: input.key.app.id,
      developerId: input.key.developer.id,
      products: [...input.products],
      scope: input.scope,
      grantType: input.grantType,
      endUser: input.endUser ?? null,
      issuedAt,
      expiresAt: input.expiresInMs === null ? null : issuedAt + input.expiresInMs,
      revokedAt: null,
      familyId: null,
      attributes: {},
    };
    await this.#store.oauthTokens.insert(record);
    this.#cache.set(record.tokenHash, toInfo(record));
    return { token, issuedAt, expiresAt: record.expiresAt, scope: record.scope, products: record.products };
  }

  async lookupAccessToken(token: string): Promise<TokenInfo | undefined> {
    const hash = hashSecret(token);
    const cached = this.#cache.get(hash);
    if (cached) return cached;
    const record = await this.#store.oauthTokens.getByHash(hash);
    if (!record || record.kind !== 'access') return undefined;
    const info = toInfo(record);
    this.#cache.set(hash, info);
    return info;
  }

  async revokeAccessToken(token: string): Promise<boolean> {
    const hash = hashSecret(token);
    this.#cache.delete(hash);
    const record = await this.#store.oauthTokens.getByHash(hash);
    if (!record || record.revokedAt !== null) return false;
    return this.#store.oauthTokens.revoke(record.id, this.#clock.now());
  }
}
