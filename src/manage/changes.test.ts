import { describe, expect, it } from 'vitest';
import type { ChangeLogRecord } from '../store/index.ts';
import { ManualClock } from '../util/clock.ts';
import { ChangeFeed, MAX_UNRECORDED, type Change } from './changes.ts';

/** A change log that keeps what is appended, and fails while told to. */
function fakeLog() {
  const appended: Array<Omit<ChangeLogRecord, 'id'>> = [];
  let failing = false;
  return {
    appended,
    fail(on: boolean) {
      failing = on;
    },
    async append(entry: Omit<ChangeLogRecord, 'id'>) {
      if (failing) throw new Error('the store is down');
      appended.push(entry);
      return appended.length;
    },
  };
}

const clock = new ManualClock(Date.UTC(2026, 0, 1));
const deploy: Change = { kind: 'deployment', name: 'weather' };

describe('the change feed', () => {
  it('tells its listeners, and resolves once they have finished', async () => {
    const feed = new ChangeFeed();
    const heard: Change[] = [];
    feed.subscribe(async (change) => {
      await Promise.resolve();
      heard.push(change);
    });
    await feed.emit(deploy);
    expect(heard).toEqual([deploy]);
  });

  it('with a change log, writes each change to it, stamped and signed with this node, before emit resolves', async () => {
    const log = fakeLog();
    const feed = new ChangeFeed({ log, origin: 'node-a', clock });
    const heard: Change[] = [];
    feed.subscribe((change) => void heard.push(change));
    await feed.emit(deploy);
    expect(log.appended).toEqual([{ at: clock.now(), kind: 'deployment', name: 'weather', origin: 'node-a' }]);
    expect(heard).toEqual([deploy]);
  });

  it('notify tells the listeners without writing to the log (a change another node logged)', async () => {
    const log = fakeLog();
    const feed = new ChangeFeed({ log, origin: 'node-a', clock });
    const heard: Change[] = [];
    feed.subscribe((change) => void heard.push(change));
    await feed.notify(deploy);
    expect(heard).toEqual([deploy]);
    expect(log.appended).toEqual([]);
  });

  it('when the log cannot be written, still tells its listeners, reports it, and writes it later in order', async () => {
    const log = fakeLog();
    const errors: unknown[] = [];
    const feed = new ChangeFeed({ log, origin: 'node-a', clock, onError: (error) => errors.push(error) });
    const heard: Change[] = [];
    feed.subscribe((change) => void heard.push(change));

    log.fail(true);
    await feed.emit(deploy); // the change committed: emit does not fail for the log
    expect(heard).toEqual([deploy]);
    expect(errors).toHaveLength(1);
    log.fail(false);
    // One behind a failed one waits its turn, so the log keeps this node's order.
    await feed.emit({ kind: 'credential', name: 'client-1' });
    expect(log.appended).toEqual([]);
    expect(feed.unrecorded).toBe(2);

    log.fail(true);
    await expect(feed.recordPending()).rejects.toThrow('the store is down');
    expect(feed.unrecorded).toBe(2);
    log.fail(false);
    await feed.recordPending();
    expect(log.appended.map((e) => e.name)).toEqual(['weather', 'client-1']);
    expect(feed.unrecorded).toBe(0);
  });

  it(`keeps at most ${MAX_UNRECORDED} unwritten notices, reporting each one it drops`, async () => {
    const log = fakeLog();
    const errors: unknown[] = [];
    const feed = new ChangeFeed({ log, origin: 'node-a', clock, onError: (error) => errors.push(error) });
    log.fail(true);
    for (let i = 0; i <= MAX_UNRECORDED; i++) await feed.emit({ kind: 'kvm', name: `map-${i}` });
    expect(feed.unrecorded).toBe(MAX_UNRECORDED);
    expect(String(errors.at(-1))).toContain("kvm 'map-0' dropped");
    log.fail(false);
    await feed.recordPending();
    expect(log.appended[0]?.name).toBe('map-1');
  });
});
