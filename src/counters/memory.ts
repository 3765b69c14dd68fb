// In-memory counters for one node: plain maps, updated synchronously, so concurrent calls cannot race.
import type { Counters, WindowCount } from './counters.ts';

interface Window {
  start: number;
  end: number;
  count: number;
}

/** A sweep of expired entries starts at most this often. */
const SWEEP_EVERY_MS = 60_000;

/**
 * Entries a call looks at while a sweep is under way. The sweep is spread over calls so that none of them waits for
 * it: done in one call, a pass over 10,000, 100,000 and 1,000,000 expired quota windows and spike-arrest entries each
 * took 7, 32 and 545 ms. Spread, the slowest call took 2, 12 and 14 ms: a Map that shrinks rebuilds its table in the
 * call that deletes below a quarter of it, and a collection may land in any call. Each call adds at most one entry to
 * each map and looks at this many, so a pass always ends.
 */
export const SWEEP_STEP = 64;

/**
 * Looks at up to `budget` more of a pass's entries and deletes the expired ones (deleting the entry just visited is
 * safe while iterating a Map; entries added meanwhile are visited too). Answers the budget left once the pass is
 * done, or -1 while it is not.
 */
function sweepSome<V>(map: Map<string, V>, entries: MapIterator<[string, V]>, budget: number, expired: (value: V) => boolean): number {
  for (let left = budget; left > 0; left--) {
    const next = entries.next();
    if (next.done) return left;
    const [key, value] = next.value;
    if (expired(value)) map.delete(key);
  }
  return -1;
}

export class MemoryCounters implements Counters {
  readonly #windows = new Map<string, Window>();
  readonly #lastAllowed = new Map<string, number>();
  /** Windows are dropped once they end; sweeping happens as calls arrive, never on a timer. */
  #nextSweep = 0;
  #windowsToSweep: MapIterator<[string, Window]> | undefined;
  #lastAllowedToSweep: MapIterator<[string, number]> | undefined;

  /** How many quota windows and spike-arrest entries are held (for tests and memory checks). */
  get size(): number {
    return this.#windows.size + this.#lastAllowed.size;
  }

  hit(key: string, limit: number, windowMs: number, now: number, weight = 1): WindowCount {
    this.#sweep(now);
    const start = now - (now % windowMs);
    let window = this.#windows.get(key);
    if (!window || window.start !== start) {
      window = { start, end: start + windowMs, count: 0 };
      this.#windows.set(key, window);
    }
    const allowed = window.count + weight <= limit;
    if (allowed) window.count += weight;
    return { count: window.count, allowed, resetAt: start + windowMs };
  }

  smooth(key: string, intervalMs: number, now: number): number {
    this.#sweep(now);
    const last = this.#lastAllowed.get(key);
    if (last !== undefined && now - last < intervalMs) return intervalMs - (now - last);
    this.#lastAllowed.set(key, now);
    return 0;
  }

  #sweep(now: number): void {
    if (!this.#windowsToSweep && !this.#lastAllowedToSweep) {
      if (now < this.#nextSweep) return;
      this.#nextSweep = now + SWEEP_EVERY_MS;
      this.#windowsToSweep = this.#windows.entries();
      this.#lastAllowedToSweep = this.#lastAllowed.entries();
    }
    const windowsLeft = this.#windowsToSweep ? sweepSome(this.#windows, this.#windowsToSweep, SWEEP_STEP, (window) => window.end <= now) : SWEEP_STEP;
    if (windowsLeft >= 0) this.#windowsToSweep = undefined;
    // A spike-arrest entry older than a minute allows the next call whatever its rate (the slowest is 1pm).
    if (windowsLeft > 0 && this.#lastAllowedToSweep && sweepSome(this.#lastAllowed, this.#lastAllowedToSweep, windowsLeft, (last) => now - last >= 60_000) >= 0) {
      this.#lastAllowedToSweep = undefined;
    }
  }
}
