// Spreads revocations between nodes that share a store: each node polls the store for access tokens revoked since it
// last looked and tells its token service, so a JWT (verified without a store read) revoked on one node is refused on
// every node within a poll interval, and opaque tokens another node revoked leave this node's cache.
import type { OAuthTokenRepository } from '../store/index.ts';
import type { Clock } from '../util/clock.ts';

/** What a poll hands on: the revoked token's hash (a JWT's is its jti's) and when the token expires. */
export interface RevokedAccess {
  tokenHash: string;
  expiresAt: number | null;
}

/** The part of the token service the feed feeds. */
export interface RevocationLearner {
  learnRevocations(records: Iterable<RevokedAccess>): void;
}

/** How often a node polls unless configured (`oauth.revocationPollIntervalMs`). */
export const DEFAULT_REVOCATION_POLL_MS = 2_000;

/**
 * How far back each poll looks before the previous one began. A revocation is stamped with the revoking node's clock
 * before its write commits, so a poll could otherwise miss one that committed late (a write waiting on a lock) or was
 * stamped by a node whose clock runs behind this one's. Learning a revocation twice is harmless.
 */
export const REVOCATION_LOOKBACK_MS = 15_000;

export interface RevocationFeedOptions {
  store: { oauthTokens: Pick<OAuthTokenRepository, 'listRevokedAccessSince'> };
  tokens: RevocationLearner;
  clock: Clock;
  /** Milliseconds between polls; 0 polls never (a single node needs no feed). */
  intervalMs: number;
  lookbackMs?: number;
  /** Where a failed poll is reported; the next poll tries again from the same point. */
  onError?: (error: unknown) => void;
}

export class RevocationFeed {
  readonly #store: RevocationFeedOptions['store'];
  readonly #tokens: RevocationLearner;
  readonly #clock: Clock;
  readonly #intervalMs: number;
  readonly #lookbackMs: number;
  readonly #onError: (error: unknown) => void;
  /** When the last successful poll began (this node's clock); the next one reads from here less the lookback. */
  #since: number;
  #timer: NodeJS.Timeout | undefined;
  #polling: Promise<number> | undefined;
  #closed = false;

  constructor(options: RevocationFeedOptions) {
    this.#store = options.store;
    this.#tokens = options.tokens;
    this.#clock = options.clock;
    this.#intervalMs = options.intervalMs;
    this.#lookbackMs = options.lookbackMs ?? REVOCATION_LOOKBACK_MS;
    this.#onError = options.onError ?? (() => {});
    // A start has loaded every revocation (OpaqueTokens.loadRevocations); the feed takes over from here.
    this.#since = this.#clock.now();
  }

  /** Polls every interval until close(); the timer does not keep the process alive. */
  start(): void {
    if (this.#timer !== undefined || this.#closed || this.#intervalMs <= 0) return;
    this.#timer = setInterval(() => {
      this.poll().catch(this.#onError);
    }, this.#intervalMs);
    this.#timer.unref();
  }

  /** One poll now: reads the revocations since the last poll and hands them on; answers how many it read. Polls never overlap: a call during one shares it. */
  poll(): Promise<number> {
    this.#polling ??= this.#read().finally(() => {
      this.#polling = undefined;
    });
    return this.#polling;
  }

  async #read(): Promise<number> {
    const began = this.#clock.now();
    const records = await this.#store.oauthTokens.listRevokedAccessSince(this.#since - this.#lookbackMs, began);
    if (records.length > 0) this.#tokens.learnRevocations(records);
    // Only after a poll that worked: a failed one leaves the window where it was, so nothing is skipped.
    this.#since = Math.max(this.#since, began);
    return records.length;
  }

  /** Stops polling, and waits for a poll in progress. */
  async close(): Promise<void> {
    this.#closed = true;
    clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#polling?.catch(() => {});
  }
}
