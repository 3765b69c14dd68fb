import { describe, expect, it } from 'vitest';
import { accessTokenClaims, tokenInfoFromClaims, type ClaimsInput } from './jwt-claims.ts';

const input: ClaimsInput = {
  issuer: 'https://gw.example',
  audience: 'https://gw.example',
  jti: 'j-1',
  clientId: 'client-1',
  appId: 'app-1',
  products: ['weather'],
  scope: 'read write',
  grantType: 'client_credentials',
  endUser: null,
  issuedAt: 1_800_000_000_500,
  expiresAt: 1_800_003_600_500,
  familyId: null,
};
const expected = { issuer: 'https://gw.example', audience: 'https://gw.example' };

describe('JWT access token claims (RFC 9068 §2.2)', () => {
  it('carries the registered claims, with sub = client id when the client acts for itself', () => {
    expect(accessTokenClaims(input)).toEqual({
      iss: 'https://gw.example',
      aud: 'https://gw.example',
      sub: 'client-1',
      client_id: 'client-1',
      iat: 1_800_000_000,
      exp: 1_800_003_600,
      jti: 'j-1',
      scope: 'read write',
      gty: 'client_credentials',
      app_id: 'app-1',
      products: ['weather'],
    });
  });

  it('names the end user as sub for a user grant, carries its grant chain, and leaves out exp for a token that never expires', () => {
    const claims = accessTokenClaims({ ...input, endUser: 'ann@example.com', grantType: 'password', expiresAt: null, scope: '', familyId: 'fam-1' });
    expect(claims.fam).toBe('fam-1');
    expect(tokenInfoFromClaims({ ...claims }, expected)?.familyId).toBe('fam-1');
    expect(claims.sub).toBe('ann@example.com');
    expect(claims.end_user).toBe('ann@example.com');
    expect(claims).not.toHaveProperty('exp');
    expect(claims).not.toHaveProperty('scope');
  });

  it('reads its own claims back (times to whole seconds)', () => {
    const info = tokenInfoFromClaims({ ...accessTokenClaims(input) }, expected);
    expect(info).toEqual({
      jti: 'j-1',
      familyId: null,
      clientId: 'client-1',
      appId: 'app-1',
      products: ['weather'],
      scope: 'read write',
      grantType: 'client_credentials',
      endUser: null,
      issuedAt: 1_800_000_000_000,
      expiresAt: 1_800_003_600_000,
      revoked: false,
      attributes: {},
    });
  });

  it('refuses another issuer or audience, and claims of the wrong type', () => {
    const claims = { ...accessTokenClaims(input) } as Record<string, unknown>;
    expect(tokenInfoFromClaims({ ...claims, iss: 'https://evil.example' }, expected)).toBeUndefined();
    expect(tokenInfoFromClaims({ ...claims, aud: 'https://other.example' }, expected)).toBeUndefined();
    expect(tokenInfoFromClaims({ ...claims, aud: ['https://other.example', 'https://gw.example'] }, expected)).toBeDefined();
    for (const [name, value] of [['client_id', 1], ['iat', -1], ['exp', 'soon'], ['products', 'weather'], ['products', [1]], ['scope', ['a']], ['jti', undefined], ['app_id', null]] as const) {
      expect(tokenInfoFromClaims({ ...claims, [name]: value }, expected), name).toBeUndefined();
    }
  });
});
