// Traffic reports over analytics records: calls, errors and latency per time bucket and per API, for the console.
import type { AnalyticsRecord } from './analytics.ts';

/** What to report on: records with `from <= at < to`, cut into buckets of `bucketMs` starting at `from`. */
export interface TrafficQuery {
  from: number;
  to: number;
  bucketMs: number;
  /** Only calls to this API. */
  api?: string;
  /** Only calls by this developer (email). */
  developer?: string;
  /** Only calls by this app (name; apps are unique per developer, so pass `developer` too). */
  app?: string;
}

export interface TrafficBucket {
  /** Start of the bucket, ms since the epoch; it covers [start, start + bucketMs). */
  start: number;
  calls: number;
  /** Calls answered with a status of 400 or more. */
  errors: number;
  /** null when the bucket has no calls. */
  avgLatencyMs: number | null;
  /** Nearest-rank 95th percentile of the total latency; null when the bucket has no calls. */
  p95LatencyMs: number | null;
}

export interface TrafficReport {
  from: number;
  to: number;
  bucketMs: number;
  totals: { calls: number; errors: number; avgLatencyMs: number | null; p95LatencyMs: number | null };
  /** Every bucket of [from, to), empty ones included, oldest first. */
  series: TrafficBucket[];
  /** Calls per API, most calls first (then by name); calls that reached no API are in the totals only. */
  byApi: Array<{ api: string; calls: number; errors: number }>;
  /** The newest matching records, newest first, at most 20. */
  recent: AnalyticsRecord[];
}

/** Anything that can report on the traffic it has seen. */
export interface TrafficSource {
  traffic(query: TrafficQuery): TrafficReport;
}

export const RECENT_LIMIT = 20;

/** Whether a status counts as an error in reports: client and server errors alike. */
export function isError(status: number): boolean {
  return status >= 400;
}

/** The number of buckets a query asks for: enough to cover [from, to), the last one possibly running past `to`. */
export function bucketCount(query: Pick<TrafficQuery, 'from' | 'to' | 'bucketMs'>): number {
  return Math.ceil((query.to - query.from) / query.bucketMs);
}

function latencies(sorted: readonly number[]): { avgLatencyMs: number | null; p95LatencyMs: number | null } {
  if (sorted.length === 0) return { avgLatencyMs: null, p95LatencyMs: null };
  const sum = sorted.reduce((total, ms) => total + ms, 0);
  // Nearest rank: the smallest value with at least 95% of the values at or below it.
  const p95 = sorted[Math.ceil(0.95 * sorted.length) - 1] as number;
  return { avgLatencyMs: sum / sorted.length, p95LatencyMs: p95 };
}

function matches(record: AnalyticsRecord, query: TrafficQuery): boolean {
  if (record.at < query.from || record.at >= query.to) return false;
  if (query.api !== undefined && record.api !== query.api) return false;
  // Email addresses compare without regard to case, as the developer's own lookups do.
  if (query.developer !== undefined && record.developer?.toLowerCase() !== query.developer.toLowerCase()) return false;
  if (query.app !== undefined && record.app !== query.app) return false;
  return true;
}

/** The report over `records` (in the order they were written). Throws RangeError on an empty range or bucket. */
export function trafficReport(records: readonly AnalyticsRecord[], query: TrafficQuery): TrafficReport {
  if (!(query.bucketMs > 0) || !(query.to > query.from)) throw new RangeError(`A traffic query needs from < to and a positive bucket; got ${query.from}..${query.to} by ${query.bucketMs} ms.`);
  const count = bucketCount(query);
  const buckets = Array.from({ length: count }, () => ({ calls: 0, errors: 0, latencies: [] as number[] }));
  const apis = new Map<string, { api: string; calls: number; errors: number }>();
  const all: number[] = [];
  let errors = 0;
  const picked: AnalyticsRecord[] = [];
  for (const record of records) {
    if (!matches(record, query)) continue;
    picked.push(record);
    const failed = isError(record.status);
    const bucket = buckets[Math.floor((record.at - query.from) / query.bucketMs)] as (typeof buckets)[number];
    bucket.calls++;
    bucket.latencies.push(record.totalLatencyMs);
    all.push(record.totalLatencyMs);
    if (failed) {
      bucket.errors++;
      errors++;
    }
    if (record.api !== null) {
      const perApi = apis.get(record.api) ?? { api: record.api, calls: 0, errors: 0 };
      perApi.calls++;
      if (failed) perApi.errors++;
      apis.set(record.api, perApi);
    }
  }
  const ascending = (a: number, b: number) => a - b;
  // Records arrive in the order calls finished, `at` is when they started: order by `at`, later writes first on ties.
  const recent = picked
    .map((record, index) => ({ record, index }))
    .sort((a, b) => b.record.at - a.record.at || b.index - a.index)
    .slice(0, RECENT_LIMIT)
    .map(({ record }) => record);
  return {
    from: query.from,
    to: query.to,
    bucketMs: query.bucketMs,
    totals: { calls: picked.length, errors, ...latencies(all.sort(ascending)) },
    series: buckets.map((b, i) => ({ start: query.from + i * query.bucketMs, calls: b.calls, errors: b.errors, ...latencies(b.latencies.sort(ascending)) })),
    byApi: [...apis.values()].sort((a, b) => b.calls - a.calls || (a.api < b.api ? -1 : a.api > b.api ? 1 : 0)),
    recent,
  };
}
