import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../util/clock.ts';
import { AuthorizationSeals, CONSENT_LIFETIME_MS, REQUEST_LIFETIME_MS, verifierMatches } from './authorization-requests.ts';

const SECRET = 'authorization-seals-test-secret-0123456789';
const request = {
  clientId: 'client-123456',
  redirectUri: 'https://app.example/callback',
  redirectUriGiven: true,
  scope: 'read',
  state: 'xyz',
  codeChallenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
  authorizeUrl: 'https://gw.example/oauth/authorize',
};
const consent = { userId: 'u1', email: 'eve@example.com', decision: 'allow' as const };

describe('authorization seals', () => {
  it('round-trips a request until it expires', () => {
    const clock = new ManualClock();
    const seals = new AuthorizationSeals(SECRET, clock);
    const handle = seals.sealRequest(request);
    expect(seals.openRequest(handle)).toEqual({ request: { ...request, expiresAt: clock.now() + REQUEST_LIFETIME_MS, t: 'request', n: expect.any(String) }, expired: false });
    clock.advance(REQUEST_LIFETIME_MS);
    expect(seals.openRequest(handle)?.expired).toBe(true);
  });

  it('refuses a handle that was changed, made with another secret, or is not a handle', () => {
    const clock = new ManualClock();
    const seals = new AuthorizationSeals(SECRET, clock);
    const handle = seals.sealRequest(request);
    const [version, body, mac] = handle.split('.') as [string, string, string];
    const changed = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(body, 'base64url').toString()), redirectUri: 'https://evil.example/' })).toString('base64url');
    expect(seals.openRequest(`${version}.${changed}.${mac}`)).toBeUndefined();
    expect(new AuthorizationSeals('another-secret-0123456789abcdefghij', clock).openRequest(handle)).toBeUndefined();
    for (const junk of ['', 'v1', 'v1..', `${handle}.x`, 'v2.e30.abc', 'x'.repeat(9000)]) expect(seals.openRequest(junk)).toBeUndefined();
    // A consent ticket is not a request handle, and the other way round.
    const ticket = seals.sealConsent(handle, consent);
    expect(seals.openRequest(ticket)).toBeUndefined();
    expect(seals.openConsent(handle, handle)).toBeUndefined();
  });

  it('binds a consent to its handle and lets it live two minutes', () => {
    const clock = new ManualClock();
    const seals = new AuthorizationSeals(SECRET, clock);
    const handle = seals.sealRequest(request);
    const other = seals.sealRequest({ ...request, state: 'other' });
    const ticket = seals.sealConsent(handle, consent);
    expect(seals.openConsent(ticket, handle)).toMatchObject(consent);
    expect(seals.openConsent(ticket, other)).toBeUndefined();
    clock.advance(CONSENT_LIFETIME_MS);
    expect(seals.openConsent(ticket, handle)).toBeUndefined();
  });

  it('without a server secret, seals open only in the process that made them', () => {
    const clock = new ManualClock();
    const handle = new AuthorizationSeals(undefined, clock).sealRequest(request);
    expect(new AuthorizationSeals(undefined, clock).openRequest(handle)).toBeUndefined();
  });
});

describe('PKCE S256', () => {
  it('matches the example of RFC 7636 appendix B and nothing else', () => {
    expect(verifierMatches('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk', 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM')).toBe(true);
    expect(verifierMatches('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXX', 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM')).toBe(false);
    // The plain method (verifier = challenge) is not S256.
    expect(verifierMatches('E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM', 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM')).toBe(false);
    expect(verifierMatches('abc', createHash('sha256').update('abc').digest('hex'))).toBe(false);
  });
});
