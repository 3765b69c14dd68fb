import { describe, expect, it } from 'vitest';
import { nextRequestId } from './request-id.ts';

describe('gateway request ids', () => {
  it('are distinct, share this process’s random prefix, and count up', () => {
    const ids = Array.from({ length: 1000 }, () => nextRequestId());
    expect(new Set(ids).size).toBe(1000);
    const prefixes = new Set(ids.map((id) => id.split('-')[0]));
    expect(prefixes.size).toBe(1);
    expect([...prefixes][0]).toMatch(/^[0-9a-f]{12}$/);
    const counts = ids.map((id) => Number.parseInt(id.split('-')[1] as string, 36));
    expect(counts.every((n, i) => i === 0 || n === (counts[i - 1] as number) + 1)).toBe(true);
  });
});
