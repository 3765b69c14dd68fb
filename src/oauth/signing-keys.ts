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

/** What a rotation by command did for one algorithm: the key that signs from now on, and the keys it retired. */
export interface Rotation {
  algorithm: JwsAlgorithm;
  kid: string;
  /** The key that signed until now: it stays published (verifies, never signs) until `publishedUntil`. */
  replaced: { kid: string; publishedUntil: number } | null;
  /** A successor that was published but had not yet signed: it leaves the key set at once. */
  withdrawn: string[];
}

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
  /** Reloads started, and the latest one whose read was applied: a slow read never undoes a newer one. */
  #reloadsStarted = 0;
  #reloadApplied = 0;

  constructor(options: { store: Repositories; cipher: ValueCipher; clock: Clock; policy?: RotationPolicy }) {
    this.#store = options.store;
    this.#cipher = options.cipher;
    this.#clock = options.clock;
    this.#policy = options.policy ?? DEFAULT_ROTATION;
  }

  /**
   * Reads every key from the store: at start, after a rotation here, at each schedule check (every few seconds, so a
   * rotation on another node reaches this one within a check), and when a token names a kid this node does not know.
   */
  async reload(): Promise<void> {
    const ticket = ++this.#reloadsStarted;
    const records = await this.#store.signingKeys.list();
    if (ticket < this.#reloadApplied) return;
    const held = new Map<string, HeldKey>();
    for (const record of records) {
      const alg = record.alg as JwsAlgorithm;
      if (!JWS_ALGORITHMS.includes(alg)) continue;
      // A kid's key material never changes, only its times: a key already held is not decrypted again, so the
      // periodic re-read costs one small query.
      const known = this.#held.get(record.kid);
      const key = known && known.record.alg === alg ? known.key : signingKey(record.kid, alg, this.#cipher.decrypt(record.privateKey, context(record.kid)));
      held.set(record.kid, { record, key });
    }
    this.#held = held;
    this.#reloadApplied = ticket;
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
    const current = this.signer(alg);
    // Published and not yet signing; a successor withdrawn by a rotation (retired before it activated) does not count.
    const pending = [...this.#held.values()].find(({ record }) => record.alg === alg && record.activatesAt > now && (record.retiresAt === null || record.retiresAt > record.activatesAt));
    if (!current) {
      if (pending) return false;
      await this.#create(alg, now, undefined);
      return true;
    }
    // Two nodes that rotated at the same moment each made a key; the one that lost (not the signer) retires now, with
    // the usual overlap, rather than stay published forever.
    const stray = [...this.#held.values()].filter(({ record }) => record.alg === alg && record.kid !== current.kid && record.activatesAt <= now && record.retiresAt === null);
    for (const { record } of stray) await this.#store.signingKeys.retire(record.kid, now, now + this.#policy.overlapMs);
    if (stray.length > 0) await this.reload();
    const currentRecord = (this.#held.get(current.kid) as HeldKey).record;
    if (pending || currentRecord.retiresAt !== null || now - currentRecord.activatesAt < this.#policy.intervalMs) return stray.length > 0;
    await this.#create(alg, now + this.#policy.prepublishMs, currentRecord);
    return true;
  }

  /**
   * Keeps every algorithm that has keys on schedule (run periodically); answers the algorithms that changed. Reads the
   * store first, so a node learns what other nodes rotated and does not make a successor another node already made.
   */
  async rotateWhenDue(): Promise<JwsAlgorithm[]> {
    await this.reload();
    const algs = new Set([...this.#held.values()].map(({ record }) => record.alg as JwsAlgorithm));
    const changed: JwsAlgorithm[] = [];
    for (const alg of algs) if (await this.ensureCurrent(alg)) changed.push(alg);
    return changed;
  }

  /**
   * Rotates now (by command, say after a suspected leak): a new key signs at once; the key that signed until now stops
   * signing and stays published for the overlap, so tokens it signed still verify; a successor published ahead of its
   * turn is withdrawn (it never signed). Works from what the store holds, not this node's copy. With `tx`, writes in
   * the caller's transaction (which also carries its audit event), and the caller reloads after the commit.
   */
  async rotateNow(alg: JwsAlgorithm, tx?: Repositories): Promise<Rotation> {
    const repositories = tx ?? this.#store;
    const now = this.#clock.now();
    const live = (await repositories.signingKeys.list()).filter((record) => record.alg === alg && (record.retiresAt === null || record.retiresAt > now));
    const kid = await this.#insert(repositories, alg, now);
    const publishedUntil = now + this.#policy.overlapMs;
    const withdrawn = live.filter((record) => record.activatesAt > now);
    // Normally one key signs; after two nodes raced there may be two, and each retires.
    const signing = live.filter((record) => record.activatesAt <= now).sort((a, b) => b.activatesAt - a.activatesAt);
    for (const record of withdrawn) await repositories.signingKeys.retire(record.kid, now, now);
    for (const record of signing) await repositories.signingKeys.retire(record.kid, now, publishedUntil);
    const replaced = signing[0] ? { kid: signing[0].kid, publishedUntil } : null;
    await repositories.signingKeys.deleteExpired(now);
    if (!tx) await this.reload();
    return { algorithm: alg, kid, replaced, withdrawn: withdrawn.map((record) => record.kid) };
  }

  async #create(alg: JwsAlgorithm, activatesAt: number, replaces: SigningKeyRecord | undefined): Promise<string> {
    const kid = await this.#insert(this.#store, alg, activatesAt);
    if (replaces) await this.#store.signingKeys.retire(replaces.kid, activatesAt, activatesAt + this.#policy.overlapMs);
    await this.#store.signingKeys.deleteExpired(this.#clock.now());
    await this.reload();
    return kid;
  }

  async #insert(repositories: Repositories, alg: JwsAlgorithm, activatesAt: number): Promise<string> {
    const kid = randomBytes(12).toString('base64url');
    const pair = generateKeyPair(alg);
    await repositories.signingKeys.insert({
      kid,
      alg,
      publicJwk: pair.publicJwk as Record<string, unknown>,
      privateKey: this.#cipher.encrypt(pair.privatePem, context(kid)),
      createdAt: this.#clock.now(),
      activatesAt,
      retiresAt: null,
      expiresAt: null,
    });
    return kid;
  }
}
