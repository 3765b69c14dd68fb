// Change notices: after a write commits, listeners (the gateway's caches) hear of it, and so, through the change log in
// the store, does every other node sharing the store (src/manage/change-log-poller.ts delivers them there).
import type { ChangeLogRepository } from '../store/index.ts';
import type { Clock } from '../util/clock.ts';

export const CHANGE_KINDS = ['api', 'deployment', 'product', 'developer', 'app', 'credential', 'user', 'kvm'] as const;

export type ChangeKind = (typeof CHANGE_KINDS)[number];

export interface Change {
  readonly kind: ChangeKind;
  /** The changed resource: a name, an email, `email/app`, or a client id; a key value map is `name` or `api/name`. */
  readonly name: string;
}

export type ChangeListener = (change: Change) => void | Promise<void>;

export function isChangeKind(kind: string): kind is ChangeKind {
  return (CHANGE_KINDS as readonly string[]).includes(kind);
}

/** Where a node writes its notices for the others: the store's change log, and this node's id in it. */
export interface ChangeLogWriter {
  log: Pick<ChangeLogRepository, 'append'>;
  /** This node's id: its own notices come back from the log, and its poller passes over them. */
  origin: string;
  clock: Clock;
  /** Where a notice that could not be written is reported; it is written again at the next poll. */
  onError?: (error: unknown) => void;
}

/**
 * Notices that failed to reach the log and wait for the next attempt, at most this many: a store that is down that long
 * has other nodes failing too, and they read every deployment, product and credential afresh when they restart.
 */
export const MAX_UNRECORDED = 10_000;

/**
 * Listeners may be async (the gateway reloads its routing table); emit resolves when all have finished, so a
 * deploy answered by the management API is already served by this node's gateway.
 *
 * With a change log, emit also appends the notice to it, after the change committed and before it resolves: a deploy
 * answered by the management API is in the log, and other nodes serve it at their next poll. The notice is not written
 * in the change's own transaction (the manage layer emits after commit, and key-value-map steps write outside any
 * transaction), so a process that dies between the commit and the append leaves the other nodes unaware of that one
 * change until they restart or the same thing changes again; docs/scaling.md says what to do.
 */
export class ChangeFeed {
  readonly #listeners = new Set<ChangeListener>();
  readonly #writer: ChangeLogWriter | undefined;
  /** Notices whose append failed, oldest first, for recordPending(). */
  #unrecorded: Change[] = [];

  constructor(writer?: ChangeLogWriter) {
    this.#writer = writer;
  }

  /** A change made on this node: written to the change log (if any) and told to this node's listeners. */
  async emit(change: Change): Promise<void> {
    await Promise.all([this.#record(change), this.notify(change)]);
  }

  /** Tells this node's listeners only: for a change another node made and wrote to the log. */
  async notify(change: Change): Promise<void> {
    await Promise.all([...this.#listeners].map(async (listener) => listener(change)));
  }

  subscribe(listener: ChangeListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** How many notices wait to be written to the log. */
  get unrecorded(): number {
    return this.#unrecorded.length;
  }

  /** Writes the notices whose append failed, oldest first; stops at the first failure and rejects with it. */
  async recordPending(): Promise<void> {
    const writer = this.#writer;
    if (!writer) return;
    while (this.#unrecorded.length > 0) {
      await this.#append(writer, this.#unrecorded[0] as Change);
      this.#unrecorded.shift();
    }
  }

  /** Never rejects: the change has committed whatever happens here, so a failed append is kept for later and reported. */
  async #record(change: Change): Promise<void> {
    const writer = this.#writer;
    if (!writer) return;
    if (this.#unrecorded.length > 0) return this.#keep(writer, change);
    try {
      await this.#append(writer, change);
    } catch (error) {
      this.#keep(writer, change);
      writer.onError?.(error);
    }
  }

  #keep(writer: ChangeLogWriter, change: Change): void {
    // Behind a failed one, a notice waits its turn, so the log keeps this node's order.
    this.#unrecorded.push(change);
    if (this.#unrecorded.length > MAX_UNRECORDED) {
      const dropped = this.#unrecorded.shift() as Change;
      writer.onError?.(new Error(`change notice ${dropped.kind} '${dropped.name}' dropped: more than ${MAX_UNRECORDED} wait to be written to the change log`));
    }
  }

  async #append(writer: ChangeLogWriter, change: Change): Promise<void> {
    await writer.log.append({ at: writer.clock.now(), kind: change.kind, name: change.name, origin: writer.origin });
  }
}
