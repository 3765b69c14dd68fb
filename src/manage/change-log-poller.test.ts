import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { openStore, type ChangeLogRecord, type SqlStore } from '../store/index.ts';
import { ManualClock } from '../util/clock.ts';
import { CHANGE_RETENTION_MS, ChangeLogPoller, GAP_WAIT_MS, SWEEP_INTERVAL_MS } from './change-log-poller.ts';
import { ChangeFeed, type Change } from './changes.ts';

const clock = new ManualClock(Date.UTC(2026, 0, 1));

/** A node of its own: a feed that logs to the store under `origin`, what its listeners heard, and its poller. */
function node(store: SqlStore, origin: string) {
  const changes = new ChangeFeed({ log: store.changeLog, origin, clock });
  const heard: Change[] = [];
  changes.subscribe((change) => void heard.push(change));
  const poller = new ChangeLogPoller({ store, changes, origin, clock, intervalMs: 1_000 });
  return { changes, heard, poller };
}

describe('the change log poller on a shared store', () => {
  let store: SqlStore;
  beforeAll(async () => {
    ({ store } = await openStore({ sqliteFile: ':memory:' }));
  });
  afterAll(async () => {
    await store?.close();
  });

  it("tells this node's listeners of a change another node made, at its next poll, and only once", async () => {
    const a = node(store, 'node-a');
    const b = node(store, 'node-b');
    await b.poller.begin();
    await a.changes.emit({ kind: 'deployment', name: 'weather' });
    expect(b.heard).toEqual([]);
    expect(await b.poller.poll()).toBe(1);
    expect(b.heard).toEqual([{ kind: 'deployment', name: 'weather' }]);
    expect(await b.poller.poll()).toBe(0);
    expect(b.heard).toHaveLength(1);
  });

  it("passes over this node's own notices: its listeners heard them when they were made", async () => {
    const a = node(store, 'node-a');
    await a.poller.begin();
    await a.changes.emit({ kind: 'credential', name: 'client-1' });
    expect(a.heard).toEqual([{ kind: 'credential', name: 'client-1' }]);
    expect(await a.poller.poll()).toBe(0);
    expect(a.heard).toHaveLength(1);
  });

  it('does not tell what was logged before it began: the node loads that state when it starts', async () => {
    const a = node(store, 'node-a');
    await a.changes.emit({ kind: 'product', name: 'gold' });
    const late = node(store, 'node-late');
    await late.poller.begin();
    expect(await late.poller.poll()).toBe(0);
    await a.changes.emit({ kind: 'product', name: 'silver' });
    expect(await late.poller.poll()).toBe(1);
    expect(late.heard).toEqual([{ kind: 'product', name: 'silver' }]);
  });

  it('writes a notice whose first append failed at its next poll, so the other nodes hear it then', async () => {
    const a = node(store, 'node-a');
    const b = node(store, 'node-b');
    await Promise.all([a.poller.begin(), b.poller.begin()]);
    const append = vi.spyOn(store.changeLog, 'append').mockRejectedValueOnce(new Error('the store is busy'));
    await a.changes.emit({ kind: 'kvm', name: 'regions' });
    append.mockRestore();
    expect(a.changes.unrecorded).toBe(1);
    expect(await b.poller.poll()).toBe(0);

    await a.poller.poll();
    expect(a.changes.unrecorded).toBe(0);
    expect(await b.poller.poll()).toBe(1);
    expect(b.heard).toEqual([{ kind: 'kvm', name: 'regions' }]);
    expect(a.heard).toEqual([{ kind: 'kvm', name: 'regions' }]); // once, when it was made
  });
});

/**
 * A change log where an appended notice can stay invisible until "committed", as on PostgreSQL, where a transaction
 * takes its id from the sequence before it commits.
 */
class FakeLog {
  readonly visible = new Map<number, ChangeLogRecord>();
  readonly uncommitted = new Map<number, ChangeLogRecord>();
  readonly calls = { listAfter: 0, listByIds: [] as number[][], deleteBefore: [] as number[] };
  failing = false;
  /** When set, listAfter waits for it. */
  gate: Promise<void> | undefined;
  #next = 1;

  add(change: Change & { origin?: string }, options: { committed?: boolean } = {}): number {
    const id = this.#next++;
    const record = { id, at: clock.now(), kind: change.kind, name: change.name, origin: change.origin ?? 'node-a' };
    (options.committed === false ? this.uncommitted : this.visible).set(id, record);
    return id;
  }

  commit(id: number): void {
    const record = this.uncommitted.get(id);
    if (!record) throw new Error(`no uncommitted notice ${id}`);
    this.uncommitted.delete(id);
    this.visible.set(id, record);
  }

  #sorted(): ChangeLogRecord[] {
    if (this.failing) throw new Error('the store is down');
    return [...this.visible.values()].sort((x, y) => x.id - y.id);
  }

  async listAfter(afterId: number, limit: number): Promise<ChangeLogRecord[]> {
    this.calls.listAfter++;
    await this.gate;
    return this.#sorted()
      .filter((r) => r.id > afterId)
      .slice(0, limit);
  }

  async listByIds(ids: readonly number[]): Promise<ChangeLogRecord[]> {
    this.calls.listByIds.push([...ids]);
    return this.#sorted().filter((r) => ids.includes(r.id));
  }

  async lastId(): Promise<number> {
    return Math.max(0, ...this.#sorted().map((r) => r.id));
  }

  async deleteBefore(before: number): Promise<number> {
    this.calls.deleteBefore.push(before);
    return 0;
  }
}

/** A poller over a fake log, with a feed whose listeners record what they hear. */
function pollerOver(log: FakeLog, options: { onError?: (error: unknown) => void } = {}) {
  const changes = new ChangeFeed();
  const heard: Change[] = [];
  changes.subscribe((change) => void heard.push(change));
  const poller = new ChangeLogPoller({ store: { changeLog: log }, changes, origin: 'node-b', clock, intervalMs: 1_000, onError: options.onError });
  return { changes, heard, poller };
}

describe('the change log poller', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('tells a notice that becomes visible after a higher one (out of order), once', async () => {
    const log = new FakeLog();
    const { heard, poller } = pollerOver(log);
    await poller.begin();
    const slow = log.add({ kind: 'deployment', name: 'slow' }, { committed: false });
    log.add({ kind: 'deployment', name: 'fast' });

    expect(await poller.poll()).toBe(1);
    expect(heard.map((c) => c.name)).toEqual(['fast']);
    expect(poller.gaps).toBe(1);

    log.commit(slow);
    expect(await poller.poll()).toBe(1);
    expect(heard.map((c) => c.name)).toEqual(['fast', 'slow']);
    expect(poller.gaps).toBe(0);
    expect(await poller.poll()).toBe(0);
    expect(heard).toHaveLength(2);
  });

  it(`looks for a missing id at every poll for ${GAP_WAIT_MS / 1000} s, then gives it up (its insert failed)`, async () => {
    const log = new FakeLog();
    const { poller } = pollerOver(log);
    await poller.begin();
    const lost = log.add({ kind: 'deployment', name: 'lost' }, { committed: false });
    log.add({ kind: 'deployment', name: 'fast' });
    await poller.poll();
    clock.advance(GAP_WAIT_MS - 1);
    await poller.poll();
    expect(log.calls.listByIds.at(-1)).toEqual([lost]);
    expect(poller.gaps).toBe(1);
    clock.advance(1);
    await poller.poll();
    expect(poller.gaps).toBe(0);
    const asked = log.calls.listByIds.length;
    await poller.poll();
    expect(log.calls.listByIds).toHaveLength(asked);
  });

  it('at its start, takes ids below the newest that are still committing as missing, and tells them when they show', async () => {
    const log = new FakeLog();
    log.add({ kind: 'product', name: 'before' });
    const committing = log.add({ kind: 'product', name: 'committing' }, { committed: false });
    log.add({ kind: 'product', name: 'newest' });
    const { heard, poller } = pollerOver(log);
    await poller.begin();
    expect(poller.gaps).toBe(1);
    expect(await poller.poll()).toBe(0);
    log.commit(committing);
    expect(await poller.poll()).toBe(1);
    expect(heard).toEqual([{ kind: 'product', name: 'committing' }]);
  });

  it('tells the same change read several times in one poll once, and different ones in the order they were made', async () => {
    const log = new FakeLog();
    const { heard, poller } = pollerOver(log);
    await poller.begin();
    log.add({ kind: 'deployment', name: 'weather' });
    log.add({ kind: 'credential', name: 'client-1' });
    log.add({ kind: 'deployment', name: 'weather' });
    log.add({ kind: 'deployment', name: 'maps' });
    expect(await poller.poll()).toBe(3);
    expect(heard).toEqual([
      { kind: 'deployment', name: 'weather' },
      { kind: 'credential', name: 'client-1' },
      { kind: 'deployment', name: 'maps' },
    ]);
  });

  it('passes over its own origin and kinds this version does not know', async () => {
    const log = new FakeLog();
    const { heard, poller } = pollerOver(log);
    await poller.begin();
    log.add({ kind: 'deployment', name: 'mine', origin: 'node-b' });
    log.add({ kind: 'future-kind' as Change['kind'], name: 'x' });
    log.add({ kind: 'app', name: 'dana@example.com/mobile' });
    expect(await poller.poll()).toBe(1);
    expect(heard).toEqual([{ kind: 'app', name: 'dana@example.com/mobile' }]);
  });

  it('when a listener fails, the poll fails; that change and those after it are told at the next poll, those before it are not told again', async () => {
    const log = new FakeLog();
    const { changes, heard, poller } = pollerOver(log);
    let failures = 1;
    changes.subscribe((change) => {
      if (change.kind === 'deployment' && failures-- > 0) throw new Error('reload failed');
    });
    await poller.begin();
    log.add({ kind: 'product', name: 'gold' });
    log.add({ kind: 'deployment', name: 'weather' });
    log.add({ kind: 'kvm', name: 'regions' });
    await expect(poller.poll()).rejects.toThrow('reload failed');
    expect(heard.map((c) => c.name)).toEqual(['gold', 'weather']);
    expect(await poller.poll()).toBe(2);
    expect(heard.map((c) => c.name)).toEqual(['gold', 'weather', 'weather', 'regions']);
    expect(await poller.poll()).toBe(0);
  });

  it('reports a failed poll of its timer to onError, and the next poll reads from where the last good one stopped', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const log = new FakeLog();
    const errors: unknown[] = [];
    const { heard, poller } = pollerOver(log, { onError: (error) => errors.push(error) });
    await poller.begin();
    log.add({ kind: 'product', name: 'gold' });
    log.failing = true;
    poller.start();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(errors.map(String)).toEqual(['Error: the store is down']);
    expect(heard).toEqual([]);
    log.failing = false;
    await vi.advanceTimersByTimeAsync(1_000);
    expect(heard).toEqual([{ kind: 'product', name: 'gold' }]);
    await poller.close();
  });

  it('says so when it could not read the log for longer than the log keeps notices', async () => {
    const log = new FakeLog();
    const errors: unknown[] = [];
    const { poller } = pollerOver(log, { onError: (error) => errors.push(error) });
    await poller.begin();
    log.failing = true;
    await expect(poller.poll()).rejects.toThrow();
    clock.advance(CHANGE_RETENTION_MS);
    await expect(poller.poll()).rejects.toThrow();
    log.failing = false;
    await poller.poll();
    expect(errors).toEqual([]);

    log.failing = true;
    await expect(poller.poll()).rejects.toThrow();
    clock.advance(CHANGE_RETENTION_MS + 1);
    log.failing = false;
    await poller.poll();
    expect(String(errors[0])).toContain('restart this node');
  });

  it('polls every interval on a timer that does not hold the process open, and stops on close', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const log = new FakeLog();
    const { poller } = pollerOver(log);
    const scheduled = vi.spyOn(globalThis, 'setInterval');
    await poller.begin();
    const before = log.calls.listAfter;
    poller.start();
    expect((scheduled.mock.results[0]?.value as NodeJS.Timeout).hasRef()).toBe(false);
    await vi.advanceTimersByTimeAsync(999);
    expect(log.calls.listAfter).toBe(before);
    await vi.advanceTimersByTimeAsync(2_001);
    expect(log.calls.listAfter).toBe(before + 3);
    await poller.close();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(log.calls.listAfter).toBe(before + 3);
  });

  it('never runs two polls at once: a poll asked for during one shares it, and close waits for it', async () => {
    const log = new FakeLog();
    const { heard, poller } = pollerOver(log);
    await poller.begin();
    log.add({ kind: 'deployment', name: 'weather' });
    let open: () => void = () => {};
    log.gate = new Promise<void>((resolve) => (open = resolve));
    const before = log.calls.listAfter;
    const first = poller.poll();
    const second = poller.poll();
    expect(second).toBe(first);

    let closed = false;
    const closing = poller.close().then(() => (closed = true));
    await Promise.resolve();
    await Promise.resolve();
    expect(closed).toBe(false);
    open();
    await closing;
    expect(await first).toBe(1);
    expect(heard).toHaveLength(1);
    expect(log.calls.listAfter).toBe(before + 1);
  });

  it(`sweeps notices older than ${CHANGE_RETENTION_MS / 60_000} minutes, at most every ${SWEEP_INTERVAL_MS / 60_000} minutes`, async () => {
    const log = new FakeLog();
    const { poller } = pollerOver(log);
    await poller.poll();
    expect(log.calls.deleteBefore).toEqual([clock.now() - CHANGE_RETENTION_MS]);
    clock.advance(SWEEP_INTERVAL_MS - 1);
    await poller.poll();
    expect(log.calls.deleteBefore).toHaveLength(1);
    clock.advance(1);
    await poller.poll();
    expect(log.calls.deleteBefore).toEqual([clock.now() - SWEEP_INTERVAL_MS - CHANGE_RETENTION_MS, clock.now() - CHANGE_RETENTION_MS]);
  });
});
