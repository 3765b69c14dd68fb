import { describe, expect, it } from 'vitest';
import { MemoryCounters } from './memory.ts';

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
});
