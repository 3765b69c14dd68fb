// The keys that sign JWT access tokens: kept in the store (private parts encrypted), held in memory for signing and
// for verification without a store read, rotated on a schedule with pre-publication and an overlap, so that a
// client caching the JWKS never meets an unknown kid and tokens in flight stay valid after a rotation.
import { randomBytes } from 'node:crypto';
import type { JsonWebKey } from 'node:crypto';
import type { Repositories, SigningKeyRecord } from '../store/index.ts';
import type { ValueCipher } from '../util/cipher.ts';
import type { Clock } from '../util/clock.ts';
import { generateKeyPair, JWS_ALGORITHMS, publicJwk, signingKey, type JwsAlgorithm, type JwsKey } from './jwt.ts';

export interface RotationPolicy {
  /** How long a key signs before the next one takes over. */
  intervalMs: number;
  /** How long a new key is published (JWKS) before it signs, so caches learn it first. */
  prepublishMs: number;
  /** How long a retired key stays published: at least the longest JWT lifetime, so tokens it signed still verify. */
  overlapMs: number;
}

export const DEFAULT_ROTATION: RotationPolicy = {
  intervalMs: 30 * 24 * 60 * 60 * 1000,
  prepublishMs: 60 * 60 * 1000,
  overlapMs: 24 * 60 * 60 * 1000,
};

interface HeldKey {
  record: SigningKeyRecord;
  key: JwsKey;
}

function context(kid: string): string {
  return `signing-key:${kid}`;
}

export class SigningKeys {
  readonly #store: Repositories;
  readonly #cipher: ValueCipher;
  readonly #clock: Clock;
  readonly #policy: RotationPolicy;
  #held = new Map<string, HeldKey>();

  constructor(options: { store: Repositories; cipher: ValueCipher; clock: Clock; policy?: RotationPolicy }) {
    this.#store = options.store;
    this.#cipher = options.cipher;
    this.#clock = options.clock;
    this.#policy = options.policy ?? DEFAULT_ROTATION;
  }

  /** Reads every key from the store (at start, and when another node announces a rotation). */
  async reload(): Promise<void> {
    const held = new Map<string, HeldKey>();
    for (const record of await this.#store.signingKeys.list()) {
      const alg = record.alg as JwsAlgorithm;
      if (!JWS_ALGORITHMS.includes(alg)) continue;
      const key = signingKey(record.kid, alg, this.#cipher.decrypt(record.privateKey, context(record.kid)));
      held.set(record.kid, { record, key });
    }
    this.#held = held;
  }

  /** The key that signs for `alg` now: the latest activated one not yet retired. */
  signer(alg: JwsAlgorithm): JwsKey | undefined {
    const now = this.#clock.now();
    let best: HeldKey | undefined;
    for (const held of this.#held.values()) {
      const { record } = held;
      if (record.alg !== alg || record.activatesAt > now || (record.retiresAt !== null && record.retiresAt <= now)) continue;
      if (!best || record.activatesAt > best.record.activatesAt) best = held;
    }
    return best?.key;
  }

  /** The key a token's kid names, while it is published; no store read. */
  keyFor(kid: string): JwsKey | undefined {
    const held = this.#held.get(kid);
    if (!held) return undefined;
    const { expiresAt } = held.record;
    return expiresAt === null || expiresAt > this.#clock.now() ? held.key : undefined;
  }

  /** The JWKS document (RFC 7517 §5): every published key, including the next one before it signs. */
  jwks(): { keys: Array<JsonWebKey & { kid: string; alg: string; use: 'sig' }> } {
    const now = this.#clock.now();
    const keys = [...this.#held.values()]
      .filter(({ record }) => record.expiresAt === null || record.expiresAt > now)
      .sort((a, b) => a.record.createdAt - b.record.createdAt || a.record.kid.localeCompare(b.record.kid))
      .map(({ key }) => publicJwk(key));
    return { keys };
  }

  /**
   * Keeps a key for `alg` signing: creates the first one (active at once), pre-publishes the next when the current
   * one has signed for `intervalMs`, and retires the current one when the next activates. Returns true on a change.
   */
  async ensureCurrent(alg: JwsAlgorithm): Promise<boolean> {
    const now = this.#clock.now();
    const ofAlg = [...this.#held.values()].filter(({ record }) => record.alg === alg);
    const current = this.signer(alg);
    const pending = ofAlg.find(({ record }) => record.activatesAt > now);
    if (!current) {
      if (pending) return false;
      await this.#create(alg, now, undefined);
      return true;
    }
    const currentRecord = (this.#held.get(current.kid) as HeldKey).record;
    if (pending || currentRecord.retiresAt !== null || now - currentRecord.activatesAt < this.#policy.intervalMs) return false;
    await this.#create(alg, now + this.#policy.prepublishMs, currentRecord);
    return true;
  }

  /** Keeps every algorithm that has keys on schedule (run periodically); answers the algorithms that changed. */
  async rotateWhenDue(): Promise<JwsAlgorithm[]> {
    const algs = new Set([...this.#held.values()].map(({ record }) => record.alg as JwsAlgorithm));
    const changed: JwsAlgorithm[] = [];
    for (const alg of algs) if (await this.ensureCurrent(alg)) changed.push(alg);
    return changed;
  }

  /** Rotates now (by command, say after a suspected leak): the new key signs at once, the old one stays published for the overlap. */
  async rotateNow(alg: JwsAlgorithm): Promise<string> {
    const now = this.#clock.now();
    const current = this.signer(alg);
    return this.#create(alg, now, current ? (this.#held.get(current.kid) as HeldKey).record : undefined);
  }

  async #create(alg: JwsAlgorithm, activatesAt: number, replaces: SigningKeyRecord | undefined): Promise<string> {
    const now = this.#clock.now();
    const kid = randomBytes(12).toString('base64url');
    const pair = generateKeyPair(alg);
    const record: SigningKeyRecord = {
      kid,
      alg,
      publicJwk: pair.publicJwk as Record<string, unknown>,
      privateKey: this.#cipher.encrypt(pair.privatePem, context(kid)),
      createdAt: now,
      activatesAt,
      retiresAt: null,
      expiresAt: null,
    };
    await this.#store.signingKeys.insert(record);
    if (replaces) await this.#store.signingKeys.retire(replaces.kid, activatesAt, activatesAt + this.#policy.overlapMs);
    await this.#store.signingKeys.deleteExpired(now);
    await this.reload();
    return kid;
  }
}
