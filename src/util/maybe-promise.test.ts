import { describe, expect, it } from 'vitest';
import { isPromise } from './maybe-promise.ts';

describe('isPromise', () => {
  it('tells promises and thenables from values', () => {
    expect(isPromise(Promise.resolve(1))).toBe(true);
    expect(isPromise({ then: () => undefined })).toBe(true);
    expect(isPromise(1)).toBe(false);
    expect(isPromise(undefined)).toBe(false);
    expect(isPromise(null)).toBe(false);
    expect(isPromise({ then: 1 })).toBe(false);
  });
});
