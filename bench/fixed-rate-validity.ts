// Whether fixed-rate runs measure the servers at all. Latency is counted from when each request was due, so a
// generator that cannot keep to its schedule (short of CPU on the load core, or too slow for the rate) charges its
// own lateness to the server: at 6,388/s the undici generator's send lag p99 reached 10–13 ms and the bare proxy
// "had" a 290 ms p99. Such runs are reported as failed, with the reason, and never as figures.
import type { FixedRateResult } from './fixed-rate.ts';

/** The goal is at most 1 ms of p99 added over the bare proxy: a generator late by as much cannot tell it apart. */
export const MAX_SEND_LAG_P99_MS = 1;

/** Why these runs do not measure the servers, or undefined when the generator kept to its schedule in every one. */
export function generatorLagged(runs: readonly FixedRateResult[]): string | undefined {
  const late = runs.map((r) => r.sendLagP99Ms).filter((lag) => !(lag <= MAX_SEND_LAG_P99_MS));
  if (late.length === 0) return undefined;
  return `NOT VALID: the load generator could not keep to its schedule (its send lag p99 was ${late.map((lag) => lag.toFixed(2)).join(', ')} ms in ${late.length} of ${runs.length} runs, limit ${MAX_SEND_LAG_P99_MS} ms), so these latencies measure the generator, not the servers`;
}
