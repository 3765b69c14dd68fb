// Counters for quota and spike arrest behind one interface: in memory on one node, Redis in a cluster (later).

export interface WindowCount {
  /** Calls counted in the current window, this one included (when it was allowed). */
  count: number;
  /** Whether this call fits under the limit. */
  allowed: boolean;
  /** When the window ends (epoch ms). */
  resetAt: number;
}

export interface Counters {
  /**
   * Counts `weight` calls against `key` in the fixed window of `windowMs` that contains `now`, if they fit
   * under `limit`; calls over the limit are not counted. Exact under concurrency on one node.
   */
  hit(key: string, limit: number, windowMs: number, now: number, weight?: number): Promise<WindowCount> | WindowCount;
  /**
   * Spike arrest: allows a call when at least `intervalMs` passed since the last allowed call for `key`
   * (Apigee smooths `10ps` into one call per 100 ms). Returns the ms to wait when refused, else 0.
   */
  smooth(key: string, intervalMs: number, now: number): Promise<number> | number;
}
