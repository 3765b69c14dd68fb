// Traffic reports over hand-made analytics records: buckets, filters, latencies and the recent calls.
import { describe, expect, it } from 'vitest';
import { MemoryAnalytics, type AnalyticsRecord } from './analytics.ts';
import { trafficReport } from './traffic.ts';

const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);
const MINUTE = 60_000;

let sequence = 0;
function record(at: number, fields: Partial<AnalyticsRecord> = {}): AnalyticsRecord {
  sequence++;
  return {
    at,
    requestId: `r${sequence}`,
    api: 'weather',
    revision: 1,
    product: null,
    app: null,
    developer: null,
    clientId: null,
    method: 'GET',
    path: '/weather',
    status: 200,
    totalLatencyMs: 10,
    targetLatencyMs: null,
    faultCode: null,
    ...fields,
  };
}

function analyticsWith(records: AnalyticsRecord[], limit?: number): MemoryAnalytics {
  const analytics = new MemoryAnalytics(limit);
  for (const r of records) analytics.write(r);
  return analytics;
}

describe('MemoryAnalytics.traffic', () => {
  it('counts calls, errors and latencies per bucket, with every bucket of the range present', () => {
    const analytics = analyticsWith([
      record(T0, { totalLatencyMs: 10 }),
      record(T0 + 30_000, { totalLatencyMs: 30, status: 404 }),
      record(T0 + 2 * MINUTE + 59_999, { totalLatencyMs: 5, status: 500 }),
    ]);
    const report = analytics.traffic({ from: T0, to: T0 + 3 * MINUTE, bucketMs: MINUTE });
    expect(report).toMatchObject({ from: T0, to: T0 + 3 * MINUTE, bucketMs: MINUTE });
    expect(report.series).toEqual([
      { start: T0, calls: 2, errors: 1, avgLatencyMs: 20, p95LatencyMs: 30 },
      { start: T0 + MINUTE, calls: 0, errors: 0, avgLatencyMs: null, p95LatencyMs: null },
      { start: T0 + 2 * MINUTE, calls: 1, errors: 1, avgLatencyMs: 5, p95LatencyMs: 5 },
    ]);
    expect(report.totals).toEqual({ calls: 3, errors: 2, avgLatencyMs: 15, p95LatencyMs: 30 });
  });

  it('counts a status of 400 or more as an error, and 399 not', () => {
    const analytics = analyticsWith([record(T0, { status: 399 }), record(T0, { status: 400 }), record(T0, { status: 302 })]);
    expect(analytics.traffic({ from: T0, to: T0 + MINUTE, bucketMs: MINUTE }).totals).toMatchObject({ calls: 3, errors: 1 });
  });

  it('ignores records before `from` and at or after `to`', () => {
    const analytics = analyticsWith([record(T0 - 1), record(T0), record(T0 + MINUTE - 1), record(T0 + MINUTE)]);
    const report = analytics.traffic({ from: T0, to: T0 + MINUTE, bucketMs: MINUTE });
    expect(report.totals.calls).toBe(2);
    expect(report.recent.map((r) => r.at)).toEqual([T0 + MINUTE - 1, T0]);
  });

  it('covers a range that is not a whole number of buckets with a last bucket that runs past `to`', () => {
    const report = analyticsWith([record(T0 + 150_000)]).traffic({ from: T0, to: T0 + 150_001, bucketMs: MINUTE });
    expect(report.series.map((b) => [b.start, b.calls])).toEqual([
      [T0, 0],
      [T0 + MINUTE, 0],
      [T0 + 2 * MINUTE, 1],
    ]);
  });

  it('takes the nearest-rank 95th percentile: of 1..20 ms it is 19, of 1..21 ms it is 20', () => {
    const twenty = Array.from({ length: 20 }, (_, i) => record(T0 + i, { totalLatencyMs: 20 - i }));
    expect(analyticsWith(twenty).traffic({ from: T0, to: T0 + MINUTE, bucketMs: MINUTE }).totals).toEqual({ calls: 20, errors: 0, avgLatencyMs: 10.5, p95LatencyMs: 19 });
    const twentyOne = Array.from({ length: 21 }, (_, i) => record(T0 + i, { totalLatencyMs: i + 1 }));
    expect(analyticsWith(twentyOne).traffic({ from: T0, to: T0 + MINUTE, bucketMs: MINUTE }).totals).toEqual({ calls: 21, errors: 0, avgLatencyMs: 11, p95LatencyMs: 20 });
  });

  it('lists calls per API, most calls first, then by name; calls that reached no API count in the totals only', () => {
    const analytics = analyticsWith([
      record(T0, { api: 'b-api' }),
      record(T0, { api: 'a-api', status: 503 }),
      record(T0, { api: 'c-api' }),
      record(T0, { api: 'c-api', status: 401 }),
      record(T0, { api: null, status: 404, faultCode: 'gateway.no_route' }),
    ]);
    const report = analytics.traffic({ from: T0, to: T0 + MINUTE, bucketMs: MINUTE });
    expect(report.byApi).toEqual([
      { api: 'c-api', calls: 2, errors: 1 },
      { api: 'a-api', calls: 1, errors: 1 },
      { api: 'b-api', calls: 1, errors: 0 },
    ]);
    expect(report.totals).toMatchObject({ calls: 5, errors: 3 });
  });

  it('filters on the API, the developer (any case) and the app', () => {
    const analytics = analyticsWith([
      record(T0, { api: 'weather', developer: 'dana@example.com', app: 'forecast' }),
      record(T0, { api: 'weather', developer: 'dana@example.com', app: 'radar' }),
      record(T0, { api: 'weather', developer: 'eli@example.com', app: 'forecast' }),
      record(T0, { api: 'maps', developer: 'dana@example.com', app: 'forecast' }),
      record(T0, { api: 'maps' }),
    ]);
    const calls = (filter: { api?: string; developer?: string; app?: string }) => analytics.traffic({ from: T0, to: T0 + MINUTE, bucketMs: MINUTE, ...filter }).totals.calls;
    expect(calls({})).toBe(5);
    expect(calls({ api: 'weather' })).toBe(3);
    expect(calls({ api: 'nothing' })).toBe(0);
    expect(calls({ developer: 'Dana@Example.com' })).toBe(3);
    expect(calls({ app: 'forecast' })).toBe(3);
    expect(calls({ developer: 'dana@example.com', app: 'forecast' })).toBe(2);
    expect(calls({ api: 'weather', developer: 'dana@example.com', app: 'forecast' })).toBe(1);
  });

  it('gives the 20 newest matching records, newest first, whatever order they were written in', () => {
    const records = Array.from({ length: 25 }, (_, i) => record(T0 + i * 1000));
    const analytics = analyticsWith([...records].reverse());
    const recent = analytics.traffic({ from: T0, to: T0 + MINUTE, bucketMs: MINUTE }).recent;
    expect(recent).toEqual(records.slice(5).reverse());
  });

  it('puts the later write first among calls that started at the same time', () => {
    const first = record(T0 + 1000);
    const second = record(T0 + 1000);
    const older = record(T0 + 500);
    const recent = analyticsWith([first, second, older]).traffic({ from: T0, to: T0 + MINUTE, bucketMs: MINUTE }).recent;
    expect(recent).toEqual([second, first, older]);
  });

  it('reports only the records it still holds', () => {
    const analytics = analyticsWith([record(T0), record(T0 + 1), record(T0 + 2)], 2);
    expect(analytics.traffic({ from: T0, to: T0 + MINUTE, bucketMs: MINUTE }).totals.calls).toBe(2);
  });

  it('answers an empty report, every bucket present, when nothing was recorded', () => {
    const report = new MemoryAnalytics().traffic({ from: T0, to: T0 + 10 * MINUTE, bucketMs: 5 * MINUTE });
    expect(report).toEqual({
      from: T0,
      to: T0 + 10 * MINUTE,
      bucketMs: 5 * MINUTE,
      totals: { calls: 0, errors: 0, avgLatencyMs: null, p95LatencyMs: null },
      series: [
        { start: T0, calls: 0, errors: 0, avgLatencyMs: null, p95LatencyMs: null },
        { start: T0 + 5 * MINUTE, calls: 0, errors: 0, avgLatencyMs: null, p95LatencyMs: null },
      ],
      byApi: [],
      recent: [],
    });
  });
});

describe('trafficReport', () => {
  it('refuses an empty range and a bucket that is not positive', () => {
    expect(() => trafficReport([], { from: T0, to: T0, bucketMs: MINUTE })).toThrow(RangeError);
    expect(() => trafficReport([], { from: T0, to: T0 + MINUTE, bucketMs: 0 })).toThrow(RangeError);
  });
});
