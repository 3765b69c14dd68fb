// Where response-cache keeps responses: an interface the gateway can back with Redis one day, and a bounded
// in-memory LRU implementation.

/** A stored response. */
export interface CachedResponse {
  readonly status: number;
  /** Lower-case names; no framing headers (content-length is recomputed when served). */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer;
  /** When it was stored (ms since the epoch), for the `Age` header. */
  readonly storedAt: number;
  /** The request header values it was chosen by (the response's `Vary`), lower-case names; absent header = undefined. */
  readonly vary: Readonly<Record<string, string | undefined>>;
}

/** A cache of responses by key, shared by the lookup and populate steps of every API the gateway serves. */
export interface ResponseCacheStore {
  /** The live entry under `key`, or undefined (never stored, expired or evicted). */
  get(key: string, now: number): Promise<CachedResponse | undefined>;
  /** Stores `entry` under `key` for `ttlMs` from `now`, replacing any entry there. */
  set(key: string, entry: CachedResponse, ttlMs: number, now: number): Promise<void>;
}

interface Slot {
  readonly entry: CachedResponse;
  readonly expiresAt: number;
  readonly size: number;
}

function sizeOf(key: string, entry: CachedResponse): number {
  let size = key.length + entry.body.length + 64;
  for (const [name, value] of Object.entries(entry.headers)) size += name.length + value.length;
  return size;
}

/** An in-process LRU cache bounded by entry count and by bytes; the least recently read entries go first. */
export class MemoryResponseCacheStore implements ResponseCacheStore {
  readonly maxEntries: number;
  readonly maxBytes: number;
  // A Map iterates in insertion order: re-inserting on each hit keeps the least recently used entry first.
  readonly #slots = new Map<string, Slot>();
  #bytes = 0;

  constructor(options: { maxEntries?: number; maxBytes?: number } = {}) {
    this.maxEntries = options.maxEntries ?? 10_000;
    this.maxBytes = options.maxBytes ?? 64 * 1024 * 1024;
  }

  /** Entries held, live or not yet noticed to have expired. */
  get size(): number {
    return this.#slots.size;
  }

  /** Approximate bytes held. */
  get bytes(): number {
    return this.#bytes;
  }

  async get(key: string, now: number): Promise<CachedResponse | undefined> {
    const slot = this.#slots.get(key);
    if (!slot) return undefined;
    this.#delete(key, slot);
    if (slot.expiresAt <= now) return undefined;
    this.#slots.set(key, slot);
    this.#bytes += slot.size;
    return slot.entry;
  }

  async set(key: string, entry: CachedResponse, ttlMs: number, now: number): Promise<void> {
    const old = this.#slots.get(key);
    if (old) this.#delete(key, old);
    const size = sizeOf(key, entry);
    if (ttlMs <= 0 || size > this.maxBytes) return;
    this.#slots.set(key, { entry, expiresAt: now + ttlMs, size });
    this.#bytes += size;
    for (const [oldest, slot] of this.#slots) {
      if (this.#slots.size <= this.maxEntries && this.#bytes <= this.maxBytes) break;
      this.#delete(oldest, slot);
    }
  }

  #delete(key: string, slot: Slot): void {
    this.#slots.delete(key);
    this.#bytes -= slot.size;
  }
}
