// The fixed-rate generator: open-loop requests at a given rate over keep-alive connections, latency counted from when
// each was due (fixed-rate-scheduler.ts). It has to stay cheap, as it shares the load core with the upstream: at
// 6,000–9,000 requests/s undici (promises, a body stream and a handler per request) took so much of that core that
// the generator itself became the latency it measured. So it speaks HTTP/1.1 over raw node:net sockets, one request
// in flight per connection, each request's bytes built once, and it reads answers only as far as needed to find
// their end and status (http-response-reader.ts).
//
// It also has to be on time, and Node's timers tick in whole milliseconds (in practice 1–2 ms apart), a send lag as
// large as the latencies measured; waking only on answers is no better, as a server that stalls sends none. So the
// main thread never sleeps in the event loop: it takes turns between a look at its sockets (setImmediate, a poll that
// does not block) and a nap of at most NAP_MS in Atomics.wait, whose timeout is not rounded to milliseconds. A request
// goes out within about NAP_MS of when it is due, and an answer is seen within about NAP_MS of its arrival.
import { performance } from 'node:perf_hooks';
import type { FixedRateJob, FixedRateResult } from './fixed-rate.ts';
import { FixedRateScheduler } from './fixed-rate-scheduler.ts';
import { HttpConnection, type ConnectionEvents } from './http-connection.ts';
import type { RequestSpec } from './load.ts';

/** How long after the last request was due the answers still outstanding are waited for. */
const GRACE_MS = 30_000;
/** The longest nap between two looks at the sockets and the schedule. */
const NAP_MS = 0.1;

/** A request's bytes on the wire (HTTP/1.1, keep-alive is its default). */
export function requestBytes(spec: RequestSpec, host: string): Buffer {
  const body = spec.body === undefined ? undefined : Buffer.from(spec.body, 'utf8');
  let head = `${spec.method} ${spec.path} HTTP/1.1\r\nhost: ${host}\r\n`;
  for (const [name, value] of Object.entries(spec.headers)) head += `${name}: ${value}\r\n`;
  if (body) head += `content-length: ${body.length}\r\n`;
  const headBytes = Buffer.from(`${head}\r\n`, 'latin1');
  return body ? Buffer.concat([headBytes, body]) : headBytes;
}

/** Sends what is due and naps until the next request is due (at most NAP_MS), turn after turn, until done or `deadline`. */
function runSchedule(scheduler: FixedRateScheduler, clock: () => number, deadline: number): Promise<void> {
  const napCell = new Int32Array(new SharedArrayBuffer(4));
  return new Promise((resolve) => {
    const turn = () => {
      scheduler.pump();
      if (scheduler.done || clock() > deadline) return resolve();
      const next = scheduler.nextSendAt;
      const napMs = next === undefined ? NAP_MS : Math.min(NAP_MS, next - clock());
      if (napMs > 0) Atomics.wait(napCell, 0, 0, napMs);
      setImmediate(turn);
    };
    turn();
  });
}

/** Runs a job to its end (bounded: the schedule, then at most GRACE_MS for answers) and returns what it measured. */
export async function generateFixedRate(job: FixedRateJob): Promise<FixedRateResult> {
  const url = new URL(job.origin);
  if (url.protocol !== 'http:') throw new Error(`The fixed-rate generator speaks plain HTTP only, not ${url.protocol}`);
  const bytes = job.requests.map((spec) => requestBytes(spec, url.host));
  if (bytes.length === 0) throw new Error('The fixed-rate generator needs at least one request.');
  const clock = () => performance.now();
  const connections: HttpConnection[] = [];
  const warmup = Math.round(job.rate * job.warmupS);
  const plan = { rate: job.rate, total: warmup + Math.round(job.rate * job.durationS), warmup, connections: job.connections };
  const scheduler = new FixedRateScheduler(plan, clock, function sendRequest(connection, request) {
    (connections[connection] as HttpConnection).write(bytes[request % bytes.length] as Buffer);
  });
  const events: ConnectionEvents = {
    open: (id) => scheduler.connected(id),
    response: (id, status, keepAlive) => scheduler.responded(id, status, keepAlive),
    lost: (id) => scheduler.lost(id),
  };
  for (let id = 0; id < job.connections; id++) connections.push(new HttpConnection(id, url.hostname, Number(url.port || 80), events));
  try {
    await Promise.all(connections.map((c) => c.open()));
    scheduler.begin();
    await runSchedule(scheduler, clock, scheduler.endsAt + GRACE_MS);
  } finally {
    for (const c of connections) c.close();
  }
  return scheduler.result();
}
