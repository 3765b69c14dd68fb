// A bounded cache that evicts what was not used lately (second chance, on Map's insertion order).

interface Entry<V> {
  value: V;
  used: boolean;
}

/**
 * A hit only marks its entry as used; it does not move it. Moving an entry on every hit (delete, then set again)
 * makes V8 rehash the Map's table every few calls, and the tables left behind keep the young objects they point at
 * alive through a scavenge (docs/performance.md, session 4). Eviction walks from the oldest entry: a used one gets a second
 * chance (its mark cleared, moved to the newest end), the first unused one goes. An entry read since the last walk
 * reached it is never evicted before one that was not.
 */
export class Lru<K, V> {
  readonly #map = new Map<K, Entry<V>>();
  readonly #max: number;

  constructor(max: number) {
    if (!(max >= 1)) throw new RangeError('An LRU holds at least one entry.');
    this.#max = max;
  }

  get size(): number {
    return this.#map.size;
  }

  get(key: K): V | undefined {
    const entry = this.#map.get(key);
    if (entry === undefined) return undefined;
    entry.used = true;
    return entry.value;
  }

  set(key: K, value: V): void {
    const entry = this.#map.get(key);
    if (entry !== undefined) {
      entry.value = value;
      entry.used = true;
      return;
    }
    if (this.#map.size >= this.#max) this.#evictOne();
    this.#map.set(key, { value, used: false });
  }

  delete(key: K): void {
    this.#map.delete(key);
  }

  clear(): void {
    this.#map.clear();
  }

  /** Drops every entry the predicate picks; a full scan, for rare events. */
  deleteWhere(pick: (value: V) => boolean): number {
    let dropped = 0;
    for (const [key, entry] of this.#map) {
      if (pick(entry.value)) {
        this.#map.delete(key);
        dropped++;
      }
    }
    return dropped;
  }

  #evictOne(): void {
    // Bounded: each pass over a used entry clears its mark, so within size + 1 steps an unused one is found.
    for (let steps = this.#map.size; steps >= 0; steps--) {
      const [key, entry] = this.#map.entries().next().value as [K, Entry<V>];
      this.#map.delete(key);
      if (!entry.used) return;
      entry.used = false;
      this.#map.set(key, entry);
    }
  }
}
