// A fixed-rate (open-loop) load generator, for latency below saturation, which wrk cannot do (wrk2 is not in Debian).
// Requests are due at start + i/rate whatever the server does; latency is counted from when a request was DUE, not
// from when it went out, so a server that stalls is charged for the requests that queued behind the stall (the
// coordinated-omission correction of wrk2). autocannon's overallRate is not used: it sends each connection's
// per-second budget back to back at the start of every second, so "half load" is half a second of saturation.
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { Pool } from 'undici';
import type { RequestSpec } from './load.ts';
import { dueBy, percentileOfSorted } from './stats.ts';

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
  /** Responses with status ≥ 400, and requests that got no response. */
  failed: number;
  /** From when each request was due (includes any queueing in the generator or the server). */
  p50Ms: number;
  p99Ms: number;
  p999Ms: number;
  maxMs: number;
  /** From when each request was actually written, for comparison. */
  serviceP99Ms: number;
  /** How late the generator sent requests, at its 99th percentile (its own scheduling jitter). */
  sendLagP99Ms: number;
}

async function main(): Promise<void> {
  const job = JSON.parse(readFileSync(process.argv[2] as string, 'utf8')) as FixedRateJob;
  const pool = new Pool(job.origin, { connections: job.connections, pipelining: 1, keepAliveTimeout: 120_000 });
  const total = Math.ceil(job.rate * (job.warmupS + job.durationS));
  const warmup = Math.ceil(job.rate * job.warmupS);
  const measured = total - warmup;
  const latency = new Float64Array(measured);
  const service = new Float64Array(measured);
  const lag = new Float64Array(measured);
  let completed = 0;
  let failed = 0;
  let errored = 0;
  let sent = 0;
  let firstMeasuredDueAt = 0;
  let lastDoneAt = 0;
  const start = performance.now();
  const intervalMs = 1000 / job.rate;

  const send = (i: number) => {
    const dueAt = start + i * intervalMs;
    const spec = job.requests[i % job.requests.length] as RequestSpec;
    const sentAt = performance.now();
    pool
      .request({ path: spec.path, method: spec.method, headers: spec.headers, body: spec.body ?? null })
      .then(async function measure(response) {
        await response.body.dump();
        const doneAt = performance.now();
        if (i < warmup) return;
        if (response.statusCode >= 400) failed++;
        latency[completed] = doneAt - dueAt;
        service[completed] = doneAt - sentAt;
        lag[completed] = sentAt - dueAt;
        completed++;
        lastDoneAt = Math.max(lastDoneAt, doneAt);
      })
      .catch(() => {
        if (i >= warmup) errored++;
      });
  };

  // A timer tick every millisecond sends whatever is due; bounded by `total` requests and a deadline.
  await new Promise<void>((resolve) => {
    const deadline = start + (job.warmupS + job.durationS) * 1000 + 30_000;
    const tick = () => {
      const now = performance.now();
      const due = Math.min(total, dueBy(now - start, job.rate));
      while (sent < due) {
        if (sent === warmup) firstMeasuredDueAt = start + sent * intervalMs;
        send(sent++);
      }
      if ((sent >= total && completed + errored >= measured) || now > deadline) return resolve();
      setTimeout(tick, 1);
    };
    tick();
  });
  await pool.close();
  const sorted = latency.slice(0, completed).sort();
  const result: FixedRateResult = {
    rate: job.rate,
    achievedRps: completed / ((lastDoneAt - firstMeasuredDueAt) / 1000),
    completed,
    failed: failed + errored,
    p50Ms: percentileOfSorted(sorted, 50),
    p99Ms: percentileOfSorted(sorted, 99),
    p999Ms: percentileOfSorted(sorted, 99.9),
    maxMs: sorted[sorted.length - 1] ?? Number.NaN,
    serviceP99Ms: percentileOfSorted(service.slice(0, completed).sort(), 99),
    sendLagP99Ms: percentileOfSorted(lag.slice(0, completed).sort(), 99),
  };
  process.stdout.write(`BENCH_RESULT ${JSON.stringify(result)}\n`);
}

await main();
