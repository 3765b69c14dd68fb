import { describe, expect, it } from 'vitest';
import { hashSecret } from '../util/secrets.ts';
import { jwtKey, newOpaqueToken, tokenKey } from './token-keys.ts';

const T0 = Date.UTC(2026, 10, 24, 8, 0, 0);

describe('newOpaqueToken', () => {
  it('makes a token of the row id’s hex and 32 random bytes', () => {
    const { id, token } = newOpaqueToken(T0);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(token).toMatch(/^[0-9a-f]{32}[A-Za-z0-9_-]{43}$/);
    expect(token.slice(0, 32)).toBe(id.replaceAll('-', ''));
  });

  it('never makes the same token twice, even in one millisecond', () => {
    const tokens = new Set(Array.from({ length: 10_000 }, () => newOpaqueToken(T0).token));
    expect(tokens.size).toBe(10_000);
  });
});

describe('tokenKey', () => {
  it('keys a new token by its id hex and its hash, so later tokens sort after earlier ones', () => {
    const early = newOpaqueToken(T0).token;
    const late = newOpaqueToken(T0 + 1).token;
    expect(tokenKey(early)).toBe(early.slice(0, 32) + hashSecret(early));
    expect(tokenKey(early) < tokenKey(late)).toBe(true);
  });

  it('keys a token of the old form (43 characters, no id) by its plain hash, so it keeps working', () => {
    const old = 'Zm9vYmFyYmF6cXV4cXV1eHF1dXhxdXV4cXV1eHF1dXg';
    expect(tokenKey(old)).toBe(hashSecret(old));
  });

  it('needs the whole token: changing one secret character changes the key', () => {
    const { token } = newOpaqueToken(T0);
    const other = token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A');
    expect(tokenKey(other)).not.toBe(tokenKey(token));
    expect(tokenKey(other).slice(0, 32)).toBe(tokenKey(token).slice(0, 32));
  });

  it('treats anything else (uppercase hex, wrong length) as the old form', () => {
    const { token } = newOpaqueToken(T0);
    expect(tokenKey(token.toUpperCase())).toBe(hashSecret(token.toUpperCase()));
    expect(tokenKey(`${token}x`)).toBe(hashSecret(`${token}x`));
  });
});

describe('jwtKey', () => {
  it('keys a JWT by its jti’s hex and a namespaced hash, never an opaque token’s key', () => {
    const { id, token } = newOpaqueToken(T0);
    expect(jwtKey(id)).toBe(id.replaceAll('-', '') + hashSecret(`jwt:${id}`));
    expect(jwtKey(id)).not.toBe(tokenKey(token));
  });

  it('keys a JWT issued before (a 22-character random jti) by the plain namespaced hash, as it was stored', () => {
    expect(jwtKey('q1w2e3r4t5y6u7i8o9p0aa')).toBe(hashSecret('jwt:q1w2e3r4t5y6u7i8o9p0aa'));
  });
});
