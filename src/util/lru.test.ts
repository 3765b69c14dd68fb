import { describe, expect, it } from 'vitest';
import { Lru } from './lru.ts';

describe('Lru', () => {
  it('keeps at most its size, dropping the oldest entry nobody read', () => {
    const lru = new Lru<string, number>(3);
    lru.set('a', 1);
    lru.set('b', 2);
    lru.set('c', 3);
    lru.set('d', 4);
    expect(lru.size).toBe(3);
    expect(lru.get('a')).toBeUndefined();
    expect([lru.get('b'), lru.get('c'), lru.get('d')]).toEqual([2, 3, 4]);
  });

  it('gives an entry read since it was stored a second chance over one that was not', () => {
    const lru = new Lru<string, number>(3);
    lru.set('a', 1);
    lru.set('b', 2);
    lru.set('c', 3);
    expect(lru.get('a')).toBe(1);
    lru.set('d', 4); // 'a' was read: 'b' goes
    expect(lru.get('b')).toBeUndefined();
    expect(lru.get('a')).toBe(1);
    lru.set('e', 5); // 'a' read again, 'c' not: 'c' goes
    expect(lru.get('c')).toBeUndefined();
    expect([lru.get('a'), lru.get('d'), lru.get('e')]).toEqual([1, 4, 5]);
  });

  it('evicts even when every entry was read (the oldest after one pass)', () => {
    const lru = new Lru<number, number>(4);
    for (let i = 0; i < 4; i++) lru.set(i, i);
    for (let i = 0; i < 4; i++) lru.get(i);
    lru.set(99, 99);
    expect(lru.size).toBe(4);
    expect(lru.get(0)).toBeUndefined();
    expect(lru.get(99)).toBe(99);
  });

  it('replaces the value of a key stored again, without growing', () => {
    const lru = new Lru<string, number>(2);
    lru.set('a', 1);
    lru.set('a', 2);
    expect(lru.size).toBe(1);
    expect(lru.get('a')).toBe(2);
  });

  it('deletes one key, or every entry a predicate picks', () => {
    const lru = new Lru<string, number>(10);
    for (const [k, v] of [['a', 1], ['b', 2], ['c', 3], ['d', 4]] as const) lru.set(k, v);
    lru.delete('a');
    expect(lru.get('a')).toBeUndefined();
    expect(lru.deleteWhere((v) => v % 2 === 0)).toBe(2);
    expect(lru.size).toBe(1);
    expect(lru.get('c')).toBe(3);
  });

  it('stays within its size under a long run of distinct keys with repeated hot ones', () => {
    const lru = new Lru<number, number>(100);
    for (let i = 0; i < 10_000; i++) {
      lru.set(1_000_000 + i, i);
      lru.get(1); // a hot key, stored once, read on every call
      if (i === 0) lru.set(1, 1);
    }
    expect(lru.size).toBe(100);
    expect(lru.get(1)).toBe(1);
  });

  it('refuses a size below one', () => {
    expect(() => new Lru(0)).toThrow(RangeError);
  });
});
