// An app's traffic for its developer: the time window from the query string, and the report with ISO timestamps.
import { GatehouseError } from '../errors.ts';
import type { TrafficReport } from '../gateway/traffic.ts';
import { iso } from '../model/common.ts';
import type { HubTrafficReport, TrafficQueryString } from '../model/hub.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export const DEFAULT_RANGE_MS = DAY;
export const MAX_RANGE_MS = 31 * DAY;
export const MAX_BUCKETS = 1000;
/** Sizes the hub picks from when the query names none: the smallest that gives at most 100 buckets. */
const AUTO_BUCKETS = [MINUTE, 5 * MINUTE, 15 * MINUTE, HOUR, 6 * HOUR, DAY];
const UNIT_MS: Record<string, number> = { s: 1000, m: MINUTE, h: HOUR, d: DAY };

export interface TrafficWindow {
  from: number;
  to: number;
  bucketMs: number;
}

function invalid(field: string, message: string): GatehouseError {
  return new GatehouseError('request.invalid', `Invalid query field ${field}: ${message}.`, { details: { errors: [{ path: `/${field}`, message }] } });
}

function parseTime(field: 'from' | 'to', text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) throw invalid(field, `'${text}' is not an ISO 8601 date or time`);
  return ms;
}

/** `5m`, `1h`, `7d` in milliseconds (the schema checked the form). */
function duration(text: string | undefined): number | undefined {
  return text === undefined ? undefined : Number(text.slice(0, -1)) * (UNIT_MS[text.slice(-1)] ?? Number.NaN);
}

/**
 * The window a query asks for. Without `to`, it ends with the bucket that holds `now` (so a call made this instant
 * is in the report); without `from`, it spans `last` (24 hours unless given) before `to`.
 */
export function trafficWindow(query: TrafficQueryString, now: number): TrafficWindow {
  const givenTo = parseTime('to', query.to);
  const givenFrom = parseTime('from', query.from);
  if (givenFrom !== undefined && query.last !== undefined) throw invalid('last', 'give either from or last, not both');
  const named = duration(query.bucket);
  const range = duration(query.last) ?? DEFAULT_RANGE_MS;
  const roughTo = givenTo ?? now;
  const roughRange = roughTo - (givenFrom ?? roughTo - range);
  const bucketMs = named ?? AUTO_BUCKETS.find((size) => roughRange / size <= 100) ?? DAY;
  const to = givenTo ?? Math.floor(now / bucketMs) * bucketMs + bucketMs;
  const from = givenFrom ?? to - range;
  if (!(from < to)) throw invalid('from', 'must be before to');
  if (to - from > MAX_RANGE_MS) throw invalid('from', 'the window may span at most 31 days');
  if (Math.ceil((to - from) / bucketMs) > MAX_BUCKETS) throw invalid('bucket', `gives more than ${MAX_BUCKETS} buckets over this window; choose a larger one`);
  return { from, to, bucketMs };
}

/** The report as the hub sends it: ISO timestamps, and of each recent call only what the developer needs. */
export function hubTrafficReport(report: TrafficReport): HubTrafficReport {
  return {
    from: iso(report.from),
    to: iso(report.to),
    bucketMs: report.bucketMs,
    totals: report.totals,
    series: report.series.map((b) => ({ start: iso(b.start), calls: b.calls, errors: b.errors, avgLatencyMs: b.avgLatencyMs, p95LatencyMs: b.p95LatencyMs })),
    byApi: report.byApi,
    recent: report.recent.map((r) => ({ at: iso(r.at), api: r.api, clientId: r.clientId, method: r.method, path: r.path, status: r.status, latencyMs: r.totalLatencyMs, faultCode: r.faultCode })),
  };
}
