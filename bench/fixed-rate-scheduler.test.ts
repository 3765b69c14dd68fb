import { describe, expect, it } from 'vitest';
import { FixedRateScheduler, type SchedulePlan } from './fixed-rate-scheduler.ts';

/** A scheduler on a clock the test moves by hand; `sent` lists `request@connection` in the order they went out. */
function setUp(plan: SchedulePlan) {
  const clock = { now: 1000 };
  const sent: string[] = [];
  const scheduler = new FixedRateScheduler(plan, () => clock.now, (connection, request) => sent.push(`${request}@${connection}`));
  for (let c = 0; c < plan.connections; c++) scheduler.connected(c);
  const at = (ms: number) => {
    clock.now = 1000 + ms;
  };
  return { scheduler, sent, at };
}

describe('the fixed-rate scheduler', () => {
  it('sends nothing before it begins, then each request when it is due, on a free connection', () => {
    const { scheduler, sent, at } = setUp({ rate: 1000, total: 3, warmup: 0, connections: 2 });
    expect(sent).toEqual([]);
    at(0);
    scheduler.begin();
    expect(sent).toEqual(['0@1']);
    at(0.9);
    scheduler.pump();
    expect(sent).toEqual(['0@1']);
    at(2);
    scheduler.pump();
    // Requests 1 and 2 are both due by 2 ms; only one connection is free.
    expect(sent).toEqual(['0@1', '1@0']);
  });

  it('counts latency from when a request was due, service time from when it was written, and lag between the two', () => {
    const { scheduler, at } = setUp({ rate: 1000, total: 2, warmup: 0, connections: 2 });
    at(0);
    scheduler.begin();
    at(0.25);
    scheduler.responded(1, 200, true);
    // Request 1 is due at 1 ms; the generator only gets to it at 1.5 ms: 0.5 ms of its own lag.
    at(1.5);
    scheduler.pump();
    at(2);
    scheduler.responded(1, 200, true);
    expect(scheduler.done).toBe(true);
    const result = scheduler.result();
    expect(result).toMatchObject({ rate: 1000, completed: 2, failed: 0, queued: 0 });
    expect(result.p50Ms).toBeCloseTo(0.25);
    expect(result.maxMs).toBeCloseTo(1);
    expect(result.serviceP99Ms).toBeCloseTo(0.5);
    expect(result.sendLagP99Ms).toBeCloseTo(0.5);
    // Two answers between the first measured due time (0 ms) and the last answer (2 ms).
    expect(result.achievedRps).toBeCloseTo(1000);
  });

  it('queues requests that fall due while every connection is busy, charging the wait to latency, not to lag', () => {
    const { scheduler, sent, at } = setUp({ rate: 1000, total: 4, warmup: 0, connections: 2 });
    at(0);
    scheduler.begin();
    at(1);
    scheduler.pump();
    expect(sent).toEqual(['0@1', '1@0']);
    // Requests 2 and 3 fall due at 2 and 3 ms with both connections busy: nothing goes out.
    at(3.5);
    scheduler.pump();
    expect(sent).toEqual(['0@1', '1@0']);
    // An answer at 5 ms frees connection 0: request 2 goes out on it at once, request 3 waits for the next.
    at(5);
    scheduler.responded(0, 200, true);
    expect(sent).toEqual(['0@1', '1@0', '2@0']);
    at(6);
    scheduler.responded(1, 200, true);
    expect(sent).toEqual(['0@1', '1@0', '2@0', '3@1']);
    at(7);
    scheduler.responded(0, 200, true);
    scheduler.responded(1, 200, true);
    const result = scheduler.result();
    expect(result.queued).toBe(2);
    expect(result.sendLagP99Ms).toBeCloseTo(0);
    // Latencies from due: 6 (request 0), 4 (1), 5 (2), 4 (3).
    expect(result.maxMs).toBeCloseTo(6);
    expect(result.p50Ms).toBeCloseTo(4);
    expect(result.serviceP99Ms).toBeCloseTo(6);
  });

  it('leaves warm-up requests out of the figures', () => {
    const { scheduler, sent, at } = setUp({ rate: 100, total: 3, warmup: 2, connections: 1 });
    at(0);
    scheduler.begin();
    at(5);
    scheduler.responded(0, 200, true);
    at(12);
    scheduler.pump();
    at(15);
    scheduler.responded(0, 500, true);
    // Request 2 (the only one measured) is due at 20 ms and goes out at 27 ms: 7 ms late.
    at(27);
    scheduler.pump();
    at(29);
    scheduler.responded(0, 200, true);
    expect(sent).toEqual(['0@0', '1@0', '2@0']);
    const result = scheduler.result();
    expect(result).toMatchObject({ completed: 1, failed: 0, queued: 0 });
    expect(result.p50Ms).toBeCloseTo(9);
    expect(result.serviceP99Ms).toBeCloseTo(2);
    expect(result.sendLagP99Ms).toBeCloseTo(7);
  });

  it('counts non-2xx answers and requests that got none as failed', () => {
    const { scheduler, sent, at } = setUp({ rate: 1000, total: 4, warmup: 0, connections: 2 });
    at(0);
    scheduler.begin();
    scheduler.responded(1, 503, true);
    at(1);
    scheduler.pump();
    scheduler.responded(1, 302, true);
    at(2);
    scheduler.pump();
    // Connection 1 breaks with request 2 on it: it is lost, and connection 1 gets nothing until it is open again.
    scheduler.lost(1);
    at(3);
    scheduler.pump();
    expect(sent).toEqual(['0@1', '1@1', '2@1', '3@0']);
    scheduler.responded(0, 200, true);
    expect(scheduler.done).toBe(true);
    expect(scheduler.result()).toMatchObject({ completed: 3, failed: 3, non2xx: 2, lost: 1 });
  });

  it('does not reuse a connection the server closes after its answer until it is connected again', () => {
    const { scheduler, sent, at } = setUp({ rate: 1000, total: 3, warmup: 0, connections: 1 });
    at(0);
    scheduler.begin();
    scheduler.responded(0, 200, false);
    scheduler.lost(0);
    at(1);
    scheduler.pump();
    expect(sent).toEqual(['0@0']);
    at(1.2);
    scheduler.connected(0);
    expect(sent).toEqual(['0@0', '1@0']);
    scheduler.responded(0, 200, true);
    at(2);
    scheduler.pump();
    scheduler.responded(0, 200, true);
    expect(scheduler.done).toBe(true);
    expect(scheduler.result()).toMatchObject({ completed: 3, failed: 0, queued: 1 });
  });
});
