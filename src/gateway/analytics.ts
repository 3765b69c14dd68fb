// One analytics record per call, handed to a sink off the hot path; the in-memory sink also answers traffic reports.
import { trafficReport, type TrafficQuery, type TrafficReport, type TrafficSource } from './traffic.ts';

export type { TrafficBucket, TrafficQuery, TrafficReport, TrafficSource } from './traffic.ts';

export interface AnalyticsRecord {
  at: number;
  requestId: string;
  api: string | null;
  revision: number | null;
  product: string | null;
  app: string | null;
  developer: string | null;
  clientId: string | null;
  method: string;
  path: string;
  status: number;
  totalLatencyMs: number;
  targetLatencyMs: number | null;
  faultCode: string | null;
}

export interface AnalyticsSink {
  write(record: AnalyticsRecord): void;
}

/** Keeps the last records in memory (tests, and the console's traffic view until the analytics store exists). */
export class MemoryAnalytics implements AnalyticsSink, TrafficSource {
  /** A ring: a write is O(1) however full it is (dropping the oldest from an array's front moved every other one). */
  readonly #ring: AnalyticsRecord[] = [];
  #next = 0;
  readonly #limit: number;
  constructor(limit = 10_000) {
    this.#limit = limit;
  }
  write(record: AnalyticsRecord): void {
    if (this.#ring.length < this.#limit) this.#ring.push(record);
    else this.#ring[this.#next] = record;
    this.#next = (this.#next + 1) % this.#limit;
  }
  /** The records held, oldest first (a copy). */
  get records(): AnalyticsRecord[] {
    return this.#ring.length < this.#limit ? [...this.#ring] : [...this.#ring.slice(this.#next), ...this.#ring.slice(0, this.#next)];
  }
  /** A report over the records still held: older calls have dropped out of it. */
  traffic(query: TrafficQuery): TrafficReport {
    return trafficReport(this.records, query);
  }
}

/**
 * Defers writes to the next turn of the event loop, so a slow sink never delays a response; a sink that throws is
 * reported to `onError` instead of becoming an uncaught exception that would stop the process. The records of one
 * turn go together, with one callback (a callback per record was an allocation per call).
 */
export function offHotPath(sink: AnalyticsSink, onError: (error: unknown) => void = () => {}): AnalyticsSink {
  let pending: AnalyticsRecord[] = [];
  function writePending(): void {
    const batch = pending;
    pending = [];
    for (const record of batch) {
      try {
        sink.write(record);
      } catch (error) {
        onError(error);
      }
    }
  }
  return {
    write(record) {
      if (pending.push(record) === 1) setImmediate(writePending);
    },
  };
}
