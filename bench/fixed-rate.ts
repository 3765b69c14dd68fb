// A fixed-rate (open-loop) load generator, for latency below saturation, which wrk cannot do (wrk2 is not in Debian).
// Requests are due at start + i/rate whatever the server does; latency is counted from when a request was DUE, not
// from when it went out, so a server that stalls is charged for the requests that queued behind the stall (the
// coordinated-omission correction of wrk2). autocannon's overallRate is not used: it sends each connection's
// per-second budget back to back at the start of every second, so "half load" is half a second of saturation.
// This file is the process the bench starts (pinned to the load core): it reads its job as JSON from argv and prints
// one result line. The generator itself is in fixed-rate-generator.ts.
import { readFileSync } from 'node:fs';
import { generateFixedRate } from './fixed-rate-generator.ts';
import type { RequestSpec } from './load.ts';

export interface FixedRateJob {
  origin: string;
  requests: RequestSpec[];
  rate: number;
  durationS: number;
  warmupS: number;
  connections: number;
}

export interface FixedRateResult {
  rate: number;
  /** Responses completed per second of the measured window. */
  achievedRps: number;
  completed: number;
  /** Responses with a status other than 2xx, and requests that got no response. */
  failed: number;
  /** Of `failed`: the answers with a status other than 2xx, and the requests lost with their connection (the rest
   * never got an answer before the run ended). Absent from results written before they were told apart. */
  non2xx?: number;
  lost?: number;
  /** From when each request was due (includes any queueing in the generator or the server). */
  p50Ms: number;
  p99Ms: number;
  p999Ms: number;
  maxMs: number;
  /** From when each request was actually written, for comparison. */
  serviceP99Ms: number;
  /** How late the generator sent requests, at its 99th percentile (its own scheduling jitter): from when each could
   * first have gone out (due, with a connection free) to when it was written. */
  sendLagP99Ms: number;
  /** Measured requests that fell due while all connections were busy and waited for one (counted in latency, not in
   * send lag). Absent from results written before the generator counted it. */
  queued?: number;
}

const job = JSON.parse(readFileSync(process.argv[2] as string, 'utf8')) as FixedRateJob;
const result = await generateFixedRate(job);
process.stdout.write(`BENCH_RESULT ${JSON.stringify(result)}\n`);
