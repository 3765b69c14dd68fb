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

const STRING_FIELDS = ['requestId', 'api', 'product', 'app', 'developer', 'clientId', 'method', 'path', 'faultCode'] as const;
type StringField = (typeof STRING_FIELDS)[number];

/**
 * Keeps the last records in memory (tests, and the console's traffic view until the analytics store exists).
 *
 * A ring of columns rather than of record objects: each call's record is copied into typed arrays (numbers) and
 * arrays of strings, so the record object itself dies young. Keeping 10,000 record objects (each with three boxed
 * numbers) promoted every call's record to the old generation and cost mark-compacts under load; records are rebuilt
 * only when a report asks for them.
 */
export class MemoryAnalytics implements AnalyticsSink, TrafficSource {
  readonly #limit: number;
  #size = 0;
  #next = 0;
  readonly #at: Float64Array;
  readonly #revision: Float64Array;
  readonly #status: Uint16Array;
  readonly #totalLatencyMs: Float64Array;
  readonly #targetLatencyMs: Float64Array;
  readonly #strings: Record<StringField, (string | null)[]>;

  constructor(limit = 10_000) {
    this.#limit = limit;
    this.#at = new Float64Array(limit);
    this.#revision = new Float64Array(limit);
    this.#status = new Uint16Array(limit);
    this.#totalLatencyMs = new Float64Array(limit);
    this.#targetLatencyMs = new Float64Array(limit);
    this.#strings = Object.fromEntries(STRING_FIELDS.map((field) => [field, new Array<string | null>(limit).fill(null)])) as Record<StringField, (string | null)[]>;
  }

  write(record: AnalyticsRecord): void {
    const i = this.#next;
    this.#at[i] = record.at;
    this.#revision[i] = record.revision ?? Number.NaN;
    this.#status[i] = record.status;
    this.#totalLatencyMs[i] = record.totalLatencyMs;
    this.#targetLatencyMs[i] = record.targetLatencyMs ?? Number.NaN;
    const strings = this.#strings;
    strings.requestId[i] = record.requestId;
    strings.api[i] = record.api;
    strings.product[i] = record.product;
    strings.app[i] = record.app;
    strings.developer[i] = record.developer;
    strings.clientId[i] = record.clientId;
    strings.method[i] = record.method;
    strings.path[i] = record.path;
    strings.faultCode[i] = record.faultCode;
    this.#next = (i + 1) % this.#limit;
    if (this.#size < this.#limit) this.#size++;
  }

  /** The records held, oldest first (made afresh on each read). */
  get records(): AnalyticsRecord[] {
    const out: AnalyticsRecord[] = [];
    const first = this.#size < this.#limit ? 0 : this.#next;
    for (let n = 0; n < this.#size; n++) out.push(this.#record((first + n) % this.#limit));
    return out;
  }

  /** A report over the records still held: older calls have dropped out of it. */
  traffic(query: TrafficQuery): TrafficReport {
    return trafficReport(this.records, query);
  }

  #record(i: number): AnalyticsRecord {
    const strings = this.#strings;
    const revision = this.#revision[i] as number;
    const target = this.#targetLatencyMs[i] as number;
    return {
      at: this.#at[i] as number,
      requestId: strings.requestId[i] as string,
      api: strings.api[i] ?? null,
      revision: Number.isNaN(revision) ? null : revision,
      product: strings.product[i] ?? null,
      app: strings.app[i] ?? null,
      developer: strings.developer[i] ?? null,
      clientId: strings.clientId[i] ?? null,
      method: strings.method[i] as string,
      path: strings.path[i] as string,
      status: this.#status[i] as number,
      totalLatencyMs: this.#totalLatencyMs[i] as number,
      targetLatencyMs: Number.isNaN(target) ? null : target,
      faultCode: strings.faultCode[i] ?? null,
    };
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
