// The traffic window of the hub's query string: defaults that include "now", bounds, and ISO output.
import { describe, expect, it } from 'vitest';
import { isGatehouseError } from '../errors.ts';
import { hubTrafficReport, trafficWindow } from './traffic.ts';

const NOW = Date.UTC(2026, 0, 1, 12, 34, 56);
const HOUR = 3_600_000;

function refusal(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (isGatehouseError(error)) return `${error.code}: ${error.message}`;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('the traffic window', () => {
  it('defaults to the 24 hours ending with the bucket that holds now, in 15-minute buckets', () => {
    const window = trafficWindow({}, NOW);
    expect(window.bucketMs).toBe(15 * 60_000);
    expect(window.to).toBe(Date.UTC(2026, 0, 1, 12, 45));
    expect(window.to - window.from).toBe(24 * HOUR);
    expect(window.to).toBeGreaterThan(NOW);
  });

  it('takes from, to and a bucket such as 5m, 1h or 1d', () => {
    expect(trafficWindow({ from: '2026-01-01T00:00:00Z', to: '2026-01-01T06:00:00Z', bucket: '1h' }, NOW)).toEqual({
      from: Date.UTC(2026, 0, 1),
      to: Date.UTC(2026, 0, 1, 6),
      bucketMs: HOUR,
    });
    expect(trafficWindow({ from: '2026-01-01T12:00:00Z', bucket: '30s' }, NOW).bucketMs).toBe(30_000);
  });

  it('takes the length of the window as last, ending with the current bucket', () => {
    const window = trafficWindow({ last: '1h' }, NOW);
    expect(window).toEqual({ from: Date.UTC(2026, 0, 1, 11, 35), to: Date.UTC(2026, 0, 1, 12, 35), bucketMs: 60_000 });
    expect(refusal(() => trafficWindow({ last: '1h', from: '2026-01-01' }, NOW))).toMatch(/either from or last/);
  });

  it('picks a bucket giving at most 100 buckets when none is named', () => {
    expect(trafficWindow({ from: '2026-01-01T11:00:00Z', to: '2026-01-01T12:00:00Z' }, NOW).bucketMs).toBe(60_000);
    expect(trafficWindow({ from: '2025-12-20T00:00:00Z', to: '2026-01-01T00:00:00Z' }, NOW).bucketMs).toBe(6 * HOUR);
  });

  it('refuses a window that is empty, longer than 31 days, or cut into more than 1000 buckets', () => {
    expect(refusal(() => trafficWindow({ from: '2026-01-02', to: '2026-01-01' }, NOW))).toMatch(/^request.invalid: .*from.*must be before to/);
    expect(refusal(() => trafficWindow({ from: '2025-01-01', to: '2026-01-01' }, NOW))).toMatch(/at most 31 days/);
    expect(refusal(() => trafficWindow({ bucket: '1s' }, NOW))).toMatch(/more than 1000 buckets/);
    expect(refusal(() => trafficWindow({ from: '2026-13-45' }, NOW))).toMatch(/not an ISO 8601/);
  });
});

describe('the traffic report', () => {
  it('carries ISO timestamps and, per recent call, no developer or request id', () => {
    const report = hubTrafficReport({
      from: Date.UTC(2026, 0, 1),
      to: Date.UTC(2026, 0, 1, 1),
      bucketMs: HOUR,
      totals: { calls: 1, errors: 0, avgLatencyMs: 5, p95LatencyMs: 5 },
      series: [{ start: Date.UTC(2026, 0, 1), calls: 1, errors: 0, avgLatencyMs: 5, p95LatencyMs: 5 }],
      byApi: [{ api: 'weather', calls: 1, errors: 0 }],
      recent: [
        { at: Date.UTC(2026, 0, 1, 0, 30), requestId: 'r1', api: 'weather', revision: 1, product: 'weather', app: 'a', developer: 'd@example.com', clientId: 'c', method: 'GET', path: '/weather', status: 200, totalLatencyMs: 5, targetLatencyMs: 3, faultCode: null },
      ],
    });
    expect(report.from).toBe('2026-01-01T00:00:00.000Z');
    expect(report.series[0]?.start).toBe('2026-01-01T00:00:00.000Z');
    expect(report.recent).toEqual([{ at: '2026-01-01T00:30:00.000Z', api: 'weather', clientId: 'c', method: 'GET', path: '/weather', status: 200, latencyMs: 5, faultCode: null }]);
  });
});
