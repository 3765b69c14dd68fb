// What a load generator is asked to send, and what one run of it measured: shared by wrk, autocannon and the
// fixed-rate generator.

/** One request as the load generator sends it. */
export interface RequestSpec {
  method: 'GET' | 'POST';
  path: string;
  headers: Record<string, string>;
  body?: string;
}

/**
 * The requests of a scenario, sent in turn (request i uses entry i mod n): each of the 64 clients gets its share,
 * which spreads quota and spike-arrest counters as 64 real clients would. `seeded` makes a fresh bearer token per
 * request from a counter instead (`<prefix><7-digit i>`, i < count), to verify tokens that are not in any cache.
 */
export type RequestPlan =
  | { kind: 'list'; requests: RequestSpec[] }
  | { kind: 'seeded'; path: string; tokenPrefix: string; count: number };

/** The outcome of one bounded run of a load generator. */
export interface LoadResult {
  tool: 'wrk' | 'autocannon' | 'fixed-rate';
  requests: number;
  durationS: number;
  rps: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Responses with a status of 400 or more (wrk's "status" errors). */
  failedResponses: number;
  /** Connect, read, write errors and timeouts. */
  socketErrors: number;
}

/** The seeded token number i, as both the seeder and the load generators spell it. */
export function seededToken(prefix: string, i: number): string {
  return `${prefix}${String(i).padStart(7, '0')}`;
}
