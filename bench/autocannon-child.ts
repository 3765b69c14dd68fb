// The fallback load generator when wrk is missing: autocannon in a process of its own (pinned like wrk would be).
// Reads its job as JSON from argv, prints one result line in the same shape as wrk's.
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';
import { seededToken, type LoadResult, type RequestPlan } from './load.ts';

interface Job {
  url: string;
  connections: number;
  durationS: number;
  plan: RequestPlan;
}

const job = JSON.parse(readFileSync(process.argv[2] as string, 'utf8')) as Job;
const plan = job.plan;
let next = 0;

// Requests are handed out in turn across all connections, as the wrk script does.
const setupRequest = (request: autocannon.Request): autocannon.Request => {
  const i = next++;
  if (plan.kind === 'seeded') {
    return { ...request, method: 'GET', path: plan.path, headers: { authorization: `Bearer ${seededToken(plan.tokenPrefix, i % plan.count)}` } };
  }
  const spec = plan.requests[i % plan.requests.length];
  if (!spec) return request;
  return { ...request, method: spec.method, path: spec.path, headers: spec.headers, ...(spec.body === undefined ? {} : { body: spec.body }) };
};

const result = await autocannon({ url: job.url, connections: job.connections, pipelining: 1, duration: job.durationS, requests: [{ setupRequest }] });
const out: LoadResult = {
  tool: 'autocannon',
  requests: result.requests.total,
  durationS: result.duration,
  rps: result.requests.total / result.duration,
  p50Ms: result.latency.p50,
  p90Ms: result.latency.p90,
  p99Ms: result.latency.p99,
  maxMs: result.latency.max,
  failedResponses: result['4xx'] + result['5xx'],
  socketErrors: result.errors + result.timeouts,
};
process.stdout.write(`BENCH_RESULT ${JSON.stringify(out)}\n`);
