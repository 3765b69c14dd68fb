import { describe, expect, it } from 'vitest';
import { constantTimeEqual, hashPassword, hashSecret, newClientId, newClientSecret, newTimeOrderedId, randomAlphanumeric, randomToken, secretMatches, verifyPassword } from './secrets.ts';

describe('secrets', () => {
  it('generates 32-character alphanumeric client ids that differ each time', () => {
    const a = newClientId();
    const b = newClientId();
    expect(a).toMatch(/^[A-Za-z0-9]{32}$/);
    expect(a).not.toBe(b);
  });

  it('generates client secrets from 32 random bytes', () => {
    const secret = newClientSecret();
    expect(Buffer.from(secret, 'base64url')).toHaveLength(32);
  });

  it('uses every alphanumeric character', () => {
    const seen = new Set(randomAlphanumeric(5000));
    expect(seen.size).toBe(62);
  });

  it('matches a secret against its SHA-256 hash and rejects any other', () => {
    const stored = hashSecret('s3cret-value-long-enough');
    expect(stored).toMatch(/^[0-9a-f]{64}$/);
    expect(secretMatches('s3cret-value-long-enough', stored)).toBe(true);
    expect(secretMatches('s3cret-value-long-enougH', stored)).toBe(false);
  });

  it('compares strings of different lengths as unequal', () => {
    expect(constantTimeEqual('abc', 'abcd')).toBe(false);
    expect(constantTimeEqual('abc', 'abc')).toBe(true);
  });

  it('hashes passwords with a salt and verifies them', async () => {
    const one = await hashPassword('correct horse');
    const two = await hashPassword('correct horse');
    expect(one).not.toBe(two);
    expect(one.startsWith('scrypt$')).toBe(true);
    expect(await verifyPassword('correct horse', one)).toBe(true);
    expect(await verifyPassword('wrong horse', one)).toBe(false);
    expect(await verifyPassword('correct horse', 'garbage')).toBe(false);
  });
});

describe('newTimeOrderedId', () => {
  it('is a version 7 UUID whose first 48 bits are the time in milliseconds', () => {
    const at = Date.UTC(2026, 10, 24, 3, 0, 0, 123);
    const id = newTimeOrderedId(at);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(Number.parseInt(id.replace(/-/g, '').slice(0, 12), 16)).toBe(at);
  });

  it('sorts by time as text, and is unique within one millisecond', () => {
    const ids = [newTimeOrderedId(1_000), newTimeOrderedId(2_000), newTimeOrderedId(1_000_000_000_000)];
    expect([...ids].sort()).toEqual(ids);
    const same = new Set(Array.from({ length: 1000 }, () => newTimeOrderedId(5_000)));
    expect(same.size).toBe(1000);
  });
});

describe('randomToken', () => {
  it('is base64url of the size asked, and never repeats across pool refills', () => {
    expect(randomToken(32)).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(randomToken(16)).toMatch(/^[A-Za-z0-9_-]{22}$/);
    // 20,000 tokens of 32 bytes go through the 4 KiB pool more than 150 times.
    const seen = new Set(Array.from({ length: 20_000 }, () => randomToken(32)));
    expect(seen.size).toBe(20_000);
    expect(randomToken(5000)).toHaveLength(Math.ceil((5000 * 4) / 3));
  });
});
