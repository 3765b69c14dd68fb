// The schedule of the fixed-rate generator and what it measured. Request i is due at start + i/rate whatever the
// server does. It goes out as soon as it is due on a free connection; when every connection is busy it waits, in
// order, for the next one to free up. Latency is counted from when a request was due, so a server that stalls is
// charged for the requests that queued behind the stall (wrk2's coordinated-omission correction); service time from
// when it was written; and the generator's own send lag from when it could first have gone out (due, with a
// connection free), so that waiting for a busy connection, the server's doing, is latency and not lag.
// Nothing is allocated per request: queued requests are the range [next, due) of the schedule, and the figures go
// into typed arrays sized for the run.
import type { FixedRateResult } from './fixed-rate.ts';
import { dueBy, percentileOfSorted } from './stats.ts';

export interface SchedulePlan {
  rate: number;
  /** Requests sent in all, the first `warmup` of them not measured. */
  total: number;
  warmup: number;
  connections: number;
}

/** Writes request `request` (its index in the schedule) on connection `connection`. */
export type Send = (connection: number, request: number) => void;

const NONE = -1;

export class FixedRateScheduler {
  private readonly plan: SchedulePlan;
  private readonly clock: () => number;
  private readonly send: Send;
  private readonly intervalMs: number;
  private start = Number.NaN;
  /** The next request of the schedule to go out. */
  private next = 0;
  private inFlight = 0;
  /** Free connections, a stack (the most recently freed first, as a pool would). */
  private readonly idle: Int32Array;
  private idleCount = 0;
  /** Since when at least one connection has been free without a break. */
  private freeSince = Number.NaN;
  /** Per connection: the request on it (or NONE), when it was written, and how late the generator was with it. */
  private readonly request: Int32Array;
  private readonly sentAt: Float64Array;
  private readonly lagMs: Float64Array;
  /** Per measured response, in the order they completed. */
  private readonly latency: Float64Array;
  private readonly service: Float64Array;
  private readonly lag: Float64Array;
  private completed = 0;
  private failedResponses = 0;
  /** Measured requests in flight on a connection that broke or closed. */
  private lostRequests = 0;
  private queued = 0;
  private lastDoneAt = Number.NaN;

  constructor(plan: SchedulePlan, clock: () => number, send: Send) {
    this.plan = plan;
    this.clock = clock;
    this.send = send;
    this.intervalMs = 1000 / plan.rate;
    this.idle = new Int32Array(plan.connections);
    this.request = new Int32Array(plan.connections).fill(NONE);
    this.sentAt = new Float64Array(plan.connections);
    this.lagMs = new Float64Array(plan.connections);
    const measured = Math.max(0, plan.total - plan.warmup);
    this.latency = new Float64Array(measured);
    this.service = new Float64Array(measured);
    this.lag = new Float64Array(measured);
  }

  /** Starts the schedule now: request 0 is due at once. */
  begin(): void {
    this.start = this.clock();
    this.freeSince = this.start;
    this.pump();
  }

  private get started(): boolean {
    return !Number.isNaN(this.start);
  }

  /** Every request has gone out and has been answered or lost. */
  get done(): boolean {
    return this.next >= this.plan.total && this.inFlight === 0;
  }

  /** When the schedule's last request is due. */
  get endsAt(): number {
    return this.dueAt(this.plan.total - 1);
  }

  /** When the next request is due, if a connection is free for it (undefined: all sent, or all connections busy). */
  get nextSendAt(): number | undefined {
    return this.idleCount > 0 && this.next < this.plan.total && this.started ? this.dueAt(this.next) : undefined;
  }

  private dueAt(request: number): number {
    return this.start + request * this.intervalMs;
  }

  /** Sends every request that is due, while a connection is free. */
  pump(): void {
    if (this.idleCount === 0 || this.next >= this.plan.total || !this.started) return;
    const due = Math.min(this.plan.total, dueBy(this.clock() - this.start, this.plan.rate));
    while (this.next < due && this.idleCount > 0) {
      const connection = this.idle[--this.idleCount] as number;
      const request = this.next++;
      const dueAt = this.dueAt(request);
      const sentAt = this.clock();
      this.request[connection] = request;
      this.sentAt[connection] = sentAt;
      this.lagMs[connection] = sentAt - Math.max(dueAt, this.freeSince);
      if (dueAt < this.freeSince && request >= this.plan.warmup) this.queued++;
      this.inFlight++;
      this.send(connection, request);
    }
  }

  /** The connection is open and free (at first, or again after it was lost). */
  connected(connection: number): void {
    this.free(connection, this.clock());
    this.pump();
  }

  /** The response on the connection has ended; `reusable` when the connection stays open for the next request. */
  responded(connection: number, status: number, reusable: boolean): void {
    const request = this.request[connection] as number;
    if (request === NONE) return;
    const now = this.clock();
    this.request[connection] = NONE;
    this.inFlight--;
    if (request >= this.plan.warmup) {
      const slot = this.completed++;
      this.latency[slot] = now - this.dueAt(request);
      this.service[slot] = now - (this.sentAt[connection] as number);
      this.lag[slot] = this.lagMs[connection] as number;
      if (status < 200 || status >= 300) this.failedResponses++;
      this.lastDoneAt = now;
    }
    if (!reusable) return;
    this.free(connection, now);
    this.pump();
  }

  /** The connection broke or was closed: a request on it got no answer, and it is not free until connected again. */
  lost(connection: number): void {
    const request = this.request[connection] as number;
    if (request !== NONE) {
      if (request >= this.plan.warmup) this.lostRequests++;
      this.request[connection] = NONE;
      this.inFlight--;
    }
    const at = this.idle.subarray(0, this.idleCount).indexOf(connection);
    if (at < 0) return;
    this.idle.copyWithin(at, at + 1, this.idleCount);
    this.idleCount--;
  }

  private free(connection: number, now: number): void {
    if (this.idleCount === 0) this.freeSince = now;
    this.idle[this.idleCount++] = connection;
  }

  /** What the measured part of the run showed (requests that got no answer count as failed). */
  result(): FixedRateResult {
    const { rate, total, warmup } = this.plan;
    const measured = Math.max(0, total - warmup);
    const latency = this.latency.subarray(0, this.completed).sort();
    return {
      rate,
      achievedRps: this.completed / ((this.lastDoneAt - this.dueAt(warmup)) / 1000),
      completed: this.completed,
      failed: this.failedResponses + (measured - this.completed),
      non2xx: this.failedResponses,
      lost: this.lostRequests,
      p50Ms: percentileOfSorted(latency, 50),
      p99Ms: percentileOfSorted(latency, 99),
      p999Ms: percentileOfSorted(latency, 99.9),
      maxMs: latency[latency.length - 1] ?? Number.NaN,
      serviceP99Ms: percentileOfSorted(this.service.subarray(0, this.completed).sort(), 99),
      sendLagP99Ms: percentileOfSorted(this.lag.subarray(0, this.completed).sort(), 99),
      queued: this.queued,
    };
  }
}
