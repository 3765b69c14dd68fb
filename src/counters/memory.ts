// In-memory counters for one node: plain maps, updated synchronously, so concurrent calls cannot race.
import type { Counters, WindowCount } from './counters.ts';

interface Window {
  start: number;
  end: number;
  count: number;
}

export class MemoryCounters implements Counters {
  readonly #windows = new Map<string, Window>();
  readonly #lastAllowed = new Map<string, number>();
  /** Windows are dropped once they end; sweeping happens as calls arrive, never on a timer. */
  #nextSweep = 0;

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
    if (now < this.#nextSweep) return;
    this.#nextSweep = now + 60_000;
    for (const [key, window] of this.#windows) if (window.end <= now) this.#windows.delete(key);
    // A spike-arrest entry older than a minute allows the next call whatever its rate (the slowest is 1pm).
    for (const [key, last] of this.#lastAllowed) if (now - last >= 60_000) this.#lastAllowed.delete(key);
  }
}
