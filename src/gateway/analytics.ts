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
  readonly records: AnalyticsRecord[] = [];
  readonly #limit: number;
  constructor(limit = 10_000) {
    this.#limit = limit;
  }
  write(record: AnalyticsRecord): void {
    this.records.push(record);
    if (this.records.length > this.#limit) this.records.splice(0, this.records.length - this.#limit);
  }
  /** A report over the records still held: older calls have dropped out of it. */
  traffic(query: TrafficQuery): TrafficReport {
    return trafficReport(this.records, query);
  }
}

/**
 * Defers writes to the next turn of the event loop, so a slow sink never delays a response; a sink that throws is
 * reported to `onError` instead of becoming an uncaught exception that would stop the process.
 */
export function offHotPath(sink: AnalyticsSink, onError: (error: unknown) => void = () => {}): AnalyticsSink {
  return {
    write(record) {
      setImmediate(function writeAnalyticsRecord() {
        try {
          sink.write(record);
        } catch (error) {
          onError(error);
        }
      });
    },
  };
}
