// Small statistics over runs: medians, percentiles, and the summary of a scenario's bounded runs.
import type { LoadResult } from './load.ts';

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** The p-th percentile (0..100) of ascending values, nearest-rank (as HdrHistogram and wrk report them). */
export function percentileOfSorted(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] as number;
}

/** What a scenario measured over its runs: medians of each figure, and the spread of RPS. */
export interface RunSummary {
  rps: number;
  p50Ms: number;
  p99Ms: number;
  /** Lowest and highest RPS of the runs, to show how steady they were. */
  rpsMin: number;
  rpsMax: number;
  runs: number;
  requests: number;
  failedResponses: number;
  socketErrors: number;
  /** Share of requests that failed (status ≥ 400 or socket errors); above 0.1% the figures are not trusted. */
  errorRate: number;
}

export function summarise(runs: readonly LoadResult[]): RunSummary {
  if (runs.length === 0) throw new Error('No runs to summarise.');
  const requests = runs.reduce((sum, r) => sum + r.requests, 0);
  const failedResponses = runs.reduce((sum, r) => sum + r.failedResponses, 0);
  const socketErrors = runs.reduce((sum, r) => sum + r.socketErrors, 0);
  const rps = runs.map((r) => r.rps);
  return {
    rps: median(rps),
    p50Ms: median(runs.map((r) => r.p50Ms)),
    p99Ms: median(runs.map((r) => r.p99Ms)),
    rpsMin: Math.min(...rps),
    rpsMax: Math.max(...rps),
    runs: runs.length,
    requests,
    failedResponses,
    socketErrors,
    errorRate: requests > 0 ? (failedResponses + socketErrors) / requests : 1,
  };
}

/** Above this share of failed requests a scenario's figures measure errors, not service. */
export const MAX_ERROR_RATE = 0.001;

/** The fixed-rate schedule: how many requests are due by `elapsedMs` at `rate` per second (request i at i/rate s). */
export function dueBy(elapsedMs: number, rate: number): number {
  return Math.floor((elapsedMs * rate) / 1000) + 1;
}
