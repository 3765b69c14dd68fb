import { describe, expect, it } from 'vitest';
import { constantTimeEqual, hashPassword, hashSecret, newClientId, newClientSecret, randomAlphanumeric, secretMatches, verifyPassword } from './secrets.ts';

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
