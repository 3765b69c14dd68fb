import { describe, expect, it } from 'vitest';
import { MemoryCounters, SWEEP_STEP } from './memory.ts';

describe('MemoryCounters', () => {
  it('allows exactly the limit in a window and refuses the rest without counting them', () => {
    const counters = new MemoryCounters();
    const results = Array.from({ length: 1000 }, () => counters.hit('app', 100, 60_000, 1_000));
    expect(results.filter((r) => r.allowed)).toHaveLength(100);
    expect(results.at(-1)).toEqual({ count: 100, allowed: false, resetAt: 60_000 });
  });

  it('starts a new window when the old one ends, aligned to the window size', () => {
    const counters = new MemoryCounters();
    counters.hit('app', 1, 60_000, 59_999);
    expect(counters.hit('app', 1, 60_000, 59_999).allowed).toBe(false);
    expect(counters.hit('app', 1, 60_000, 60_000)).toEqual({ count: 1, allowed: true, resetAt: 120_000 });
  });

  it('counts keys apart and honours weights', () => {
    const counters = new MemoryCounters();
    expect(counters.hit('a', 10, 1000, 0, 7).allowed).toBe(true);
    expect(counters.hit('a', 10, 1000, 0, 4).allowed).toBe(false);
    expect(counters.hit('b', 10, 1000, 0, 4).allowed).toBe(true);
  });

  it('forgets spike-arrest callers a minute after their last call, so per-client keys do not pile up', () => {
    const counters = new MemoryCounters();
    expect(counters.smooth('ip-1', 60_000, 0)).toBe(0);
    expect(counters.smooth('ip-1', 60_000, 59_999)).toBe(1);
    expect(counters.smooth('ip-2', 1000, 60_000)).toBe(0);
    expect(counters.smooth('ip-1', 60_000, 60_000)).toBe(0);
  });

  it('smooths: one call per interval, telling how long to wait', () => {
    const counters = new MemoryCounters();
    expect(counters.smooth('k', 100, 1000)).toBe(0);
    expect(counters.smooth('k', 100, 1040)).toBe(60);
    expect(counters.smooth('k', 100, 1100)).toBe(0);
  });

  it('sweeps expired entries a little per call, so no call waits for a whole sweep', () => {
    const counters = new MemoryCounters();
    const keys = 10 * SWEEP_STEP;
    for (let i = 0; i < keys; i++) {
      counters.hit(`app-${i}`, 10, 1000, 0);
      counters.smooth(`ip-${i}`, 1000, 0);
    }
    expect(counters.size).toBe(2 * keys);
    // A minute later every entry has expired: each call looks at SWEEP_STEP of them, and adds its own.
    counters.hit('live', 1_000_000, 1000, 60_000);
    expect(counters.size).toBe(2 * keys - SWEEP_STEP + 1);
    counters.smooth('live', 1000, 60_001);
    expect(counters.size).toBe(2 * keys - 2 * SWEEP_STEP + 2);
    for (let call = 0; call < 2 * keys; call++) counters.hit('live', 1_000_000, 1000, 60_002);
    // Only what the calls themselves use is left: the live window and the live spike-arrest entry.
    expect(counters.size).toBe(2);
    expect(counters.hit('live', 1_000_000, 1000, 60_003).count).toBe(2 * keys + 2);
    expect(counters.smooth('live', 1000, 60_004)).toBe(997);
  });

  it('keeps live windows through a sweep and starts the next sweep a minute later', () => {
    const counters = new MemoryCounters();
    counters.hit('old', 10, 1000, 0);
    counters.hit('long', 10, 3_600_000, 0);
    counters.hit('old', 10, 1000, 60_000);
    expect(counters.hit('long', 10, 3_600_000, 60_000)).toMatchObject({ count: 2, allowed: true });
    counters.hit('gone-soon', 10, 1000, 60_000);
    // 'gone-soon' expired at 61,000, but the next sweep starts only at 120,000.
    counters.hit('long', 10, 3_600_000, 119_999);
    expect(counters.size).toBe(3);
    counters.hit('long', 10, 3_600_000, 120_000);
    expect(counters.size).toBe(1);
    expect(counters.hit('long', 10, 3_600_000, 120_001).count).toBe(5);
  });
});
