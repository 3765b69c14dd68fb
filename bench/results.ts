// The shape of a bench run's results, as written to bench/results/<date>.json and read back to render the docs.
import type { FixedRateResult } from './fixed-rate.ts';
import type { LoadResult } from './load.ts';
import type { RunSummary } from './stats.ts';

/** What a scenario's RPS is compared with: proxies with the bare Node proxy and nginx, token endpoints with the bare one. */
export type ScenarioKind = 'ceiling' | 'proxy' | 'token';

export interface ScenarioResult {
  id: string;
  title: string;
  kind: ScenarioKind;
  /** ok: measured; skipped: could not run here (reason says why); failed: broke while running; invalid: measured, but too many requests failed to trust it. */
  status: 'ok' | 'skipped' | 'failed' | 'invalid';
  reason?: string;
  summary?: RunSummary;
  runs?: LoadResult[];
  /** Peak resident memory of the server under test over its whole life (VmHWM), in bytes. */
  peakRssBytes?: number;
  /** From process start to the first successful answer, in ms (Gatehouse). */
  readyMs?: number;
  notes?: string[];
}

/** p99 latency at a fixed rate: the gateway against the bare Node proxy at the same rate (half the gateway's maximum). */
export interface LatencyResult {
  id: string;
  title: string;
  /** The saturated scenario whose maximum set the rate. */
  gatewayScenario: string;
  status: 'ok' | 'skipped' | 'failed';
  reason?: string;
  rate?: number;
  bare?: FixedRateResult;
  gateway?: FixedRateResult;
  /** gateway p99 − bare p99, in ms: the median of the rounds' differences (addedP99 in goals.ts). */
  addedP99Ms?: number;
  /** Each round's gateway p99 − bare p99, in ms, in the order measured. Absent from results written before rounds were paired. */
  addedP99ByRoundMs?: number[];
}

export interface BenchReport {
  schema: 1;
  date: string;
  quick: boolean;
  only?: string[];
  machine: { cpuModel: string; cores: number; memoryGiB: number; kernel: string; loadAverageBefore: number[]; loadAverageAfter: number[] };
  versions: Record<string, string>;
  settings: {
    connections: number;
    warmupS: number;
    runs: number;
    durationS: number;
    loadGenerator: string;
    pinning: string;
    gatehouse: string;
    fixedRate: string;
  };
  scenarios: ScenarioResult[];
  latency: LatencyResult[];
  notes: string[];
}
