import { describe, expect, it } from 'vitest';
import { describeChanges, pickSpec } from './diff.ts';

describe('describeChanges', () => {
  it('names each changed leaf with its path, old and new value', () => {
    const changes = describeChanges(
      { basePath: '/a', target: { url: 'http://x' }, flows: [{ name: 'f' }] },
      { basePath: '/a', target: { url: 'http://y' }, flows: [{ name: 'g' }], description: 'd' },
    );
    expect(changes).toEqual(['description: (absent) → "d"', 'flows[0].name: "f" → "g"', 'target.url: "http://x" → "http://y"']);
  });
  it('says nothing for equal values', () => {
    expect(describeChanges({ a: [1, { b: 2 }] }, { a: [1, { b: 2 }] })).toEqual([]);
  });
});

describe('pickSpec', () => {
  it('keeps only spec members', () => {
    expect(pickSpec({ name: 'a', revision: 3, createdAt: 'x' }, ['name', 'basePath'])).toEqual({ name: 'a' });
  });
});
