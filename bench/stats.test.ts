import { describe, expect, it } from 'vitest';
import type { LoadResult } from './load.ts';
import { seededToken } from './load.ts';
import { dueBy, median, percentileOfSorted, summarise } from './stats.ts';

const run = (rps: number, p50Ms: number, p99Ms: number, failed = 0): LoadResult => ({ tool: 'wrk', requests: rps * 10, durationS: 10, rps, p50Ms, p90Ms: p99Ms, p99Ms, maxMs: p99Ms * 2, failedResponses: failed, socketErrors: 0 });

describe('statistics of runs', () => {
  it('takes the median of odd and even counts', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNaN();
  });

  it('reads nearest-rank percentiles', () => {
    const sorted = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentileOfSorted(sorted, 50)).toBe(50);
    expect(percentileOfSorted(sorted, 99)).toBe(99);
    expect(percentileOfSorted(sorted, 100)).toBe(100);
    expect(percentileOfSorted([7], 99.9)).toBe(7);
  });

  it('summarises runs by the median of each figure and keeps the spread of RPS', () => {
    const summary = summarise([run(1000, 2, 9), run(1200, 1, 5), run(900, 3, 20, 12)]);
    expect(summary).toMatchObject({ rps: 1000, p50Ms: 2, p99Ms: 9, rpsMin: 900, rpsMax: 1200, runs: 3, requests: 31_000, failedResponses: 12 });
    expect(summary.errorRate).toBeCloseTo(12 / 31_000);
  });

  it('schedules request i at i/rate seconds', () => {
    expect(dueBy(0, 1000)).toBe(1);
    expect(dueBy(0.999, 1000)).toBe(1);
    expect(dueBy(1, 1000)).toBe(2);
    expect(dueBy(1000, 500)).toBe(501);
  });

  it('spells seeded tokens with a fixed-width counter, as the Lua script does', () => {
    expect(seededToken('seed-', 42)).toBe('seed-0000042');
  });
});
