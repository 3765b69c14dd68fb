// Brings other nodes' changes to this one: each node polls the store's change log for notices it has not seen and
// tells its own listeners (the gateway's routing table, key cache and key value map cache), so a deploy, a revoked
// credential or a changed map made through one node takes effect on every node sharing the store within a poll.
import type { ChangeLogRecord, ChangeLogRepository } from '../store/index.ts';
import type { Clock } from '../util/clock.ts';
import { isChangeKind, type Change, type ChangeFeed } from './changes.ts';

/**
 * How long a missing id is looked for. PostgreSQL takes an id from the sequence before the insert commits, so two
 * nodes appending at once may commit 11 before 10, and a poll in between sees 11 and not yet 10. The poller asks for
 * such an id again at every poll until it shows up, or until this long has passed (its insert failed: ids are not
 * given back). On SQLite, with one writer at a time, ids appear in order and there are no such gaps.
 */
export const GAP_WAIT_MS = 60_000;

/** Missing ids looked for at most; past this the oldest are given up first. */
export const MAX_GAPS = 1_000;

/** How long notices stay in the log: a node that was away for less misses nothing. */
export const CHANGE_RETENTION_MS = 60 * 60 * 1000;

/** How often a node sweeps older notices out of the log. */
export const SWEEP_INTERVAL_MS = 5 * 60 * 1000;

/** Notices read per query; a poll reads page after page until it has them all. */
const PAGE_SIZE = 500;

/**
 * When a node starts, how far below the log's newest id it looks for ids still committing: the notices it can see are
 * already part of what it loads, the missing ones are waited for like any gap.
 */
const START_WINDOW = 100;

export interface ChangeLogPollerOptions {
  store: { changeLog: Pick<ChangeLogRepository, 'listAfter' | 'listByIds' | 'lastId' | 'deleteBefore'> };
  /** This node's feed: the poller tells its listeners, and has it write the notices whose first append failed. */
  changes: Pick<ChangeFeed, 'notify' | 'recordPending'>;
  /** This node's id in the log (the feed's `origin`): its own notices were told here when they were made. */
  origin: string;
  clock: Clock;
  intervalMs: number;
  /** Where a failed poll started by the timer is reported; the next poll goes on from where the failed one stopped. */
  onError?: (error: unknown) => void;
  gapWaitMs?: number;
  retentionMs?: number;
}

export class ChangeLogPoller {
  readonly #log: ChangeLogPollerOptions['store']['changeLog'];
  readonly #changes: ChangeLogPollerOptions['changes'];
  readonly #origin: string;
  readonly #clock: Clock;
  readonly #intervalMs: number;
  readonly #onError: (error: unknown) => void;
  readonly #gapWaitMs: number;
  readonly #retentionMs: number;
  /** The highest id read so far; undefined until the poller has taken its starting point. */
  #last: number | undefined;
  /** Ids below #last not yet seen, with when they were first missed. */
  readonly #gaps = new Map<number, number>();
  /** Changes read and not yet told, by kind and name: the same change read twice is told once. */
  readonly #pending = new Map<string, Change>();
  /** When reading the log began to fail, to tell when this node was cut off for longer than the log keeps notices. */
  #failingSince: number | undefined;
  #sweptAt: number | undefined;
  #timer: NodeJS.Timeout | undefined;
  #polling: Promise<number> | undefined;
  #closed = false;

  constructor(options: ChangeLogPollerOptions) {
    this.#log = options.store.changeLog;
    this.#changes = options.changes;
    this.#origin = options.origin;
    this.#clock = options.clock;
    this.#intervalMs = options.intervalMs;
    this.#onError = options.onError ?? (() => {});
    this.#gapWaitMs = options.gapWaitMs ?? GAP_WAIT_MS;
    this.#retentionMs = options.retentionMs ?? CHANGE_RETENTION_MS;
  }

  /**
   * Takes where the log stands as the starting point, without telling anything: call it before the node loads its
   * state, so that each notice either describes a change that load sees or comes after it and is told.
   */
  async begin(): Promise<void> {
    if (this.#last !== undefined) return;
    const newest = await this.#log.lastId();
    this.#last = Math.max(0, newest - START_WINDOW);
    // Below the first notice in the window lie swept ones (the sweep keeps the newest), not ones still committing.
    await this.#read({ tell: false, gapsBeforeFirst: false });
  }

  /** Polls every interval until close(); the timer does not keep the process alive. */
  start(): void {
    if (this.#timer !== undefined || this.#closed) return;
    this.#timer = setInterval(() => {
      this.poll().catch(this.#onError);
    }, this.#intervalMs);
    this.#timer.unref();
  }

  /** One poll now; answers how many changes it told. Polls never overlap: a call during one shares it. */
  poll(): Promise<number> {
    this.#polling ??= this.#poll().finally(() => {
      this.#polling = undefined;
    });
    return this.#polling;
  }

  /** Ids this poller still looks for (for tests and metrics). */
  get gaps(): number {
    return this.#gaps.size;
  }

  /** Stops polling, and waits for a poll in progress. */
  async close(): Promise<void> {
    this.#closed = true;
    clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#polling?.catch(() => {});
  }

  async #poll(): Promise<number> {
    await this.begin();
    // This node's own notices that missed the log go first; a failure here must not hold back the others'.
    await this.#changes.recordPending().catch(this.#onError);
    try {
      await this.#read({ tell: true, gapsBeforeFirst: true });
    } catch (error) {
      this.#failingSince ??= this.#clock.now();
      throw error;
    }
    if (this.#failingSince !== undefined && this.#clock.now() - this.#failingSince > this.#retentionMs) {
      this.#onError(new Error(`the change log could not be read for longer than it keeps notices (${this.#retentionMs / 60_000} minutes): changes made on other nodes meanwhile may have been missed; restart this node to load everything afresh`));
    }
    this.#failingSince = undefined;
    const told = await this.#tell();
    await this.#sweepWhenDue();
    return told;
  }

  async #read(options: { tell: boolean; gapsBeforeFirst: boolean }): Promise<void> {
    const now = this.#clock.now();
    if (this.#gaps.size > 0) {
      for (const record of await this.#log.listByIds([...this.#gaps.keys()])) {
        this.#gaps.delete(record.id);
        if (options.tell) this.#take(record);
      }
      for (const [id, missedAt] of this.#gaps) if (now - missedAt >= this.#gapWaitMs) this.#gaps.delete(id);
    }
    let first = true;
    for (;;) {
      const page = await this.#log.listAfter(this.#last as number, PAGE_SIZE);
      for (const record of page) {
        if (options.gapsBeforeFirst || !first) this.#missed((this.#last as number) + 1, record.id, now);
        first = false;
        this.#last = record.id;
        if (options.tell) this.#take(record);
      }
      if (page.length < PAGE_SIZE) return;
    }
  }

  /** Notes the ids from `from` up to (not including) `to` as missing. */
  #missed(from: number, to: number, now: number): void {
    for (let id = Math.max(from, to - MAX_GAPS); id < to; id++) this.#gaps.set(id, now);
    // Maps iterate in insertion order, and ids are noted in rising order: the first are the oldest.
    for (const id of this.#gaps.keys()) {
      if (this.#gaps.size <= MAX_GAPS) break;
      this.#gaps.delete(id);
    }
  }

  #take(record: ChangeLogRecord): void {
    // This node told its listeners when it made the change; a kind this version does not know has no listener here.
    if (record.origin === this.#origin || !isChangeKind(record.kind)) return;
    const key = `${record.kind}\n${record.name}`;
    if (!this.#pending.has(key)) this.#pending.set(key, { kind: record.kind, name: record.name });
  }

  /** Tells the pending changes in the order read; one that fails stays pending, with those after it, for the next poll. */
  async #tell(): Promise<number> {
    let told = 0;
    for (const [key, change] of this.#pending) {
      await this.#changes.notify(change);
      this.#pending.delete(key);
      told++;
    }
    return told;
  }

  async #sweepWhenDue(): Promise<void> {
    const now = this.#clock.now();
    if (this.#sweptAt !== undefined && now - this.#sweptAt < SWEEP_INTERVAL_MS) return;
    this.#sweptAt = now;
    await this.#log.deleteBefore(now - this.#retentionMs).catch(this.#onError);
  }
}
