import { createHmac, generateKeyPairSync, sign, constants, type KeyObject } from 'node:crypto';
import { SignJWT, importJWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keyRecord } from '../../test/helpers/flow-context.ts';
import type { PublicJwk } from '../model/app.ts';
import type { KeyRecord } from '../policies/policy.ts';
import { openStore } from '../store/index.ts';
import type { SqlStore } from '../store/sql-store.ts';
import { ASSERTION_CLOCK_SKEW_MS, ASSERTION_MAX_LIFETIME_MS, checkClientAssertion, ClientAssertions, jwksProblems, type AssertionExpectations } from './client-assertion.ts';

const NOW = Date.UTC(2026, 0, 1);
const S = Math.floor(NOW / 1000);
const CLIENT = 'client-0001';
const ISSUER = 'https://gw.example';
const TOKEN_URL = 'https://gw.example/oauth/token';

type Alg = 'ES256' | 'EdDSA' | 'Ed25519' | 'RS256' | 'PS256';

interface Pair {
  privateKey: KeyObject;
  jwk: PublicJwk;
}

function pair(type: 'ec' | 'ed25519' | 'rsa', kid?: string): Pair {
  const keys = type === 'ec' ? generateKeyPairSync('ec', { namedCurve: 'P-256' }) : type === 'ed25519' ? generateKeyPairSync('ed25519') : generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { privateKey: keys.privateKey, jwk: { ...(keys.publicKey.export({ format: 'jwk' }) as PublicJwk), ...(kid ? { kid } : {}) } };
}

const b64 = (value: string | Buffer) => Buffer.from(value).toString('base64url');

/** Signs a compact JWS by hand, so that tests can make every kind of bad assertion. */
function jws(header: Record<string, unknown>, claims: Record<string, unknown>, key: KeyObject | undefined, alg = header.alg as Alg): string {
  const input = `${b64(JSON.stringify(header))}.${b64(JSON.stringify(claims))}`;
  if (!key) return `${input}.`;
  const data = Buffer.from(input);
  const signature =
    alg === 'ES256'
      ? sign('sha256', data, { key, dsaEncoding: 'ieee-p1363' })
      : alg === 'EdDSA' || alg === 'Ed25519'
        ? sign(null, data, key)
        : alg === 'PS256'
          ? sign('sha256', data, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 })
          : sign('sha256', data, key);
  return `${input}.${b64(signature)}`;
}

const claims = (overrides: Record<string, unknown> = {}) => ({ iss: CLIENT, sub: CLIENT, aud: ISSUER, iat: S, exp: S + 60, jti: `jti-${Math.random()}`, ...overrides });

let ec: Pair;
let ed: Pair;
let rsa: Pair;
let other: Pair;

beforeAll(() => {
  ec = pair('ec', 'ec-1');
  ed = pair('ed25519', 'ed-1');
  rsa = pair('rsa', 'rsa-1');
  other = pair('ec', 'ec-1');
});

function expectations(overrides: Partial<AssertionExpectations> = {}): AssertionExpectations {
  return { clientId: CLIENT, jwks: [ec.jwk, ed.jwk, rsa.jwk], issuer: ISSUER, otherAudiences: () => [TOKEN_URL], now: NOW, ...overrides };
}

function check(assertion: string, overrides: Partial<AssertionExpectations> = {}) {
  return checkClientAssertion(assertion, expectations(overrides));
}

describe('client assertion verification (RFC 7523 §3)', () => {
  it('accepts assertions signed with an ES256, EdDSA, RS256 or PS256 key the app registered, picked by kid', () => {
    expect(check(jws({ alg: 'ES256', kid: 'ec-1' }, claims(), ec.privateKey))).toMatchObject({ ok: true });
    expect(check(jws({ alg: 'EdDSA', kid: 'ed-1' }, claims(), ed.privateKey))).toMatchObject({ ok: true });
    // RFC 9864's fully specified name, which oauth4webapi sends for Ed25519 keys.
    expect(check(jws({ alg: 'Ed25519', kid: 'ed-1' }, claims(), ed.privateKey))).toMatchObject({ ok: true });
    expect(check(jws({ alg: 'RS256', kid: 'rsa-1' }, claims(), rsa.privateKey))).toMatchObject({ ok: true });
    expect(check(jws({ alg: 'PS256', kid: 'rsa-1' }, claims(), rsa.privateKey))).toMatchObject({ ok: true });
  });

  it('answers the jti and when the assertion expires (for the replay record)', () => {
    expect(check(jws({ alg: 'ES256', kid: 'ec-1' }, claims({ jti: 'abc', exp: S + 30 }), ec.privateKey))).toEqual({ ok: true, jti: 'abc', expiresAt: NOW + 30_000 });
  });

  it('uses the only key when the assertion names no kid, and refuses a missing kid when there are several keys', () => {
    const single = pair('ec');
    expect(check(jws({ alg: 'ES256' }, claims(), single.privateKey), { jwks: [single.jwk] })).toMatchObject({ ok: true });
    expect(check(jws({ alg: 'ES256' }, claims(), ec.privateKey))).toMatchObject({ ok: false, reason: 'unknown_kid', message: expect.stringContaining('has no kid') });
  });

  it('accepts an assertion made with jose, as a client library would', async () => {
    const privateJwk = { ...(ec.privateKey.export({ format: 'jwk' }) as Record<string, string>) };
    const key = await importJWK(privateJwk, 'ES256');
    const assertion = await new SignJWT({}).setProtectedHeader({ alg: 'ES256', kid: 'ec-1' }).setIssuer(CLIENT).setSubject(CLIENT).setAudience(ISSUER).setIssuedAt(S).setExpirationTime(S + 60).setJti('jose-1').sign(key);
    expect(check(assertion)).toMatchObject({ ok: true, jti: 'jose-1' });
  });

  it('accepts as audience the issuer, the token endpoint URL, or a list holding either', () => {
    for (const aud of [ISSUER, TOKEN_URL, [ISSUER, 'https://elsewhere.example'], ['https://elsewhere.example', TOKEN_URL]]) {
      expect(check(jws({ alg: 'ES256', kid: 'ec-1' }, claims({ aud }), ec.privateKey))).toMatchObject({ ok: true });
    }
  });

  it('refuses a tampered payload and a signature by another key (bad_signature)', () => {
    const good = jws({ alg: 'ES256', kid: 'ec-1' }, claims(), ec.privateKey);
    const [h, , s] = good.split('.');
    const tampered = `${h}.${b64(JSON.stringify(claims({ sub: CLIENT, scope: 'admin' })))}.${s}`;
    expect(check(tampered)).toMatchObject({ ok: false, reason: 'bad_signature' });
    expect(check(jws({ alg: 'ES256', kid: 'ec-1' }, claims(), other.privateKey))).toMatchObject({ ok: false, reason: 'bad_signature', message: expect.stringContaining("'ec-1'") });
  });

  it('refuses an unknown kid', () => {
    expect(check(jws({ alg: 'ES256', kid: 'nope' }, claims(), ec.privateKey))).toMatchObject({ ok: false, reason: 'unknown_kid', message: "No key the app registered has kid 'nope'." });
  });

  it("refuses alg none, HS256 signed with the public key as the secret, and an algorithm the key does not allow", () => {
    expect(check(jws({ alg: 'none', kid: 'ec-1' }, claims(), undefined))).toMatchObject({ ok: false, reason: 'unsupported_alg' });
    expect(check(jws({ alg: 'NONE' }, claims(), undefined))).toMatchObject({ ok: false, reason: 'unsupported_alg' });
    // The classic confusion: a verifier that takes alg from the header would HMAC with the public key it holds.
    const header = { alg: 'HS256', kid: 'rsa-1' };
    const input = `${b64(JSON.stringify(header))}.${b64(JSON.stringify(claims()))}`;
    for (const secret of [JSON.stringify(rsa.jwk), rsa.jwk.n ?? '']) {
      const hs = `${input}.${b64(createHmac('sha256', secret).update(input).digest())}`;
      expect(check(hs)).toMatchObject({ ok: false, reason: 'unsupported_alg', message: expect.stringContaining('not with a shared secret') });
    }
    expect(check(jws({ alg: 'RS256', kid: 'ec-1' }, claims(), rsa.privateKey))).toMatchObject({ ok: false, reason: 'wrong_alg' });
    expect(check(jws({ alg: 'ES384', kid: 'ec-1' }, claims(), undefined))).toMatchObject({ ok: false, reason: 'unsupported_alg' });
    // A JWK's own alg narrows its key to that algorithm.
    expect(check(jws({ alg: 'PS256', kid: 'rsa-1' }, claims(), rsa.privateKey), { jwks: [{ ...rsa.jwk, alg: 'RS256' }] })).toMatchObject({ ok: false, reason: 'wrong_alg' });
  });

  it('refuses an iss or sub other than the client id', () => {
    expect(check(jws({ alg: 'ES256', kid: 'ec-1' }, claims({ iss: 'someone-else' }), ec.privateKey))).toMatchObject({ ok: false, reason: 'wrong_issuer' });
    expect(check(jws({ alg: 'ES256', kid: 'ec-1' }, claims({ sub: 'someone-else' }), ec.privateKey))).toMatchObject({ ok: false, reason: 'wrong_subject' });
    expect(check(jws({ alg: 'ES256', kid: 'ec-1' }, claims(), ec.privateKey), { clientId: 'client-0002' })).toMatchObject({ ok: false, reason: 'wrong_issuer' });
  });

  it('refuses an aud that does not name this authorization server, or none', () => {
    for (const aud of ['https://other.example', `${ISSUER}/`, ['https://other.example'], undefined, 42]) {
      expect(check(jws({ alg: 'ES256', kid: 'ec-1' }, claims({ aud }), ec.privateKey))).toMatchObject({ ok: false, reason: 'wrong_audience', message: expect.stringContaining(ISSUER) });
    }
  });

  it('requires exp, refuses an expired assertion (after a minute of clock skew) and one that lives longer than five minutes', () => {
    expect(check(jws({ alg: 'ES256', kid: 'ec-1' }, claims({ exp: undefined }), ec.privateKey))).toMatchObject({ ok: false, reason: 'missing_exp' });
    expect(check(jws({ alg: 'ES256', kid: 'ec-1' }, claims({ exp: 'soon' }), ec.privateKey))).toMatchObject({ ok: false, reason: 'malformed' });
    const expiringNow = jws({ alg: 'ES256', kid: 'ec-1' }, claims({ iat: S - 60, exp: S }), ec.privateKey);
    expect(check(expiringNow, { now: NOW + ASSERTION_CLOCK_SKEW_MS - 1 })).toMatchObject({ ok: true });
    expect(check(expiringNow, { now: NOW + ASSERTION_CLOCK_SKEW_MS })).toMatchObject({ ok: false, reason: 'expired' });
    const limit = (ASSERTION_MAX_LIFETIME_MS + ASSERTION_CLOCK_SKEW_MS) / 1000;
    expect(check(jws({ alg: 'ES256', kid: 'ec-1' }, claims({ exp: S + limit }), ec.privateKey))).toMatchObject({ ok: true });
    expect(check(jws({ alg: 'ES256', kid: 'ec-1' }, claims({ exp: S + 600 }), ec.privateKey))).toMatchObject({ ok: false, reason: 'lifetime_too_long', message: expect.stringContaining('600 s') });
  });

  it('refuses nbf or iat in the future (beyond the skew), and iat after exp', () => {
    expect(check(jws({ alg: 'ES256', kid: 'ec-1' }, claims({ nbf: S + 30 }), ec.privateKey))).toMatchObject({ ok: true });
    expect(check(jws({ alg: 'ES256', kid: 'ec-1' }, claims({ nbf: S + 120, exp: S + 180 }), ec.privateKey))).toMatchObject({ ok: false, reason: 'not_yet_valid' });
    expect(check(jws({ alg: 'ES256', kid: 'ec-1' }, claims({ iat: S + 120, exp: S + 180 }), ec.privateKey))).toMatchObject({ ok: false, reason: 'not_yet_valid' });
    expect(check(jws({ alg: 'ES256', kid: 'ec-1' }, claims({ iat: S + 50, exp: S + 40 }), ec.privateKey))).toMatchObject({ ok: false, reason: 'malformed' });
  });

  it('requires a jti', () => {
    expect(check(jws({ alg: 'ES256', kid: 'ec-1' }, claims({ jti: undefined }), ec.privateKey))).toMatchObject({ ok: false, reason: 'missing_jti' });
    expect(check(jws({ alg: 'ES256', kid: 'ec-1' }, claims({ jti: '' }), ec.privateKey))).toMatchObject({ ok: false, reason: 'missing_jti' });
    expect(check(jws({ alg: 'ES256', kid: 'ec-1' }, claims({ jti: 7 }), ec.privateKey))).toMatchObject({ ok: false, reason: 'missing_jti' });
  });

  it('refuses what is not a compact JWS, and crit extensions it does not know', () => {
    for (const garbage of ['', 'abc', 'a.b', 'a.b.c.d', `${b64('{')}.${b64('{}')}.`, `${b64('[]')}.${b64('{}')}.x`, 'x'.repeat(20_000)]) {
      expect(check(garbage)).toMatchObject({ ok: false, reason: 'malformed' });
    }
    expect(check(jws({ alg: 'ES256', kid: 'ec-1', crit: ['exp'] }, claims(), ec.privateKey))).toMatchObject({ ok: false, reason: 'malformed' });
  });
});

describe('replay (single use until exp, across nodes)', () => {
  let store: SqlStore;
  let key: KeyRecord;
  beforeAll(async () => {
    ({ store } = await openStore({ sqliteFile: ':memory:' }));
    const base = keyRecord({ clientId: CLIENT });
    key = { ...base, app: { ...base.app, tokenEndpointAuthMethod: 'private_key_jwt', jwks: [ec.jwk] } };
  });
  afterAll(async () => {
    await store?.close();
  });

  const node = () => new ClientAssertions({ store, issuer: () => ISSUER, gatewayUrl: () => 'https://gw.example/', tokenEndpointUrl: () => TOKEN_URL });

  it('accepts an assertion once; the same assertion, or its jti in a new one, is refused on this node and on another', async () => {
    const assertion = jws({ alg: 'ES256', kid: 'ec-1' }, claims({ jti: 'once' }), ec.privateKey);
    const request = { endpointPath: '/oauth/token', now: NOW };
    expect(await node().verify(assertion, key, request)).toMatchObject({ ok: true, jti: 'once' });
    const again = jws({ alg: 'ES256', kid: 'ec-1' }, claims({ jti: 'once', exp: S + 120 }), ec.privateKey);
    const first = node();
    expect(await first.verify(assertion, key, request)).toMatchObject({ ok: false, reason: 'replayed' });
    expect(await first.verify(again, key, request)).toMatchObject({ ok: false, reason: 'replayed' });
    // Expired later: refused as expired, whatever the store still holds.
    expect(await first.verify(assertion, key, { ...request, now: NOW + 3_600_000 })).toMatchObject({ ok: false, reason: 'expired' });
  });

  it('keeps jtis per client: another client may use the same jti', async () => {
    const base = keyRecord({ clientId: 'client-0002' });
    const second: KeyRecord = { ...base, app: { ...base.app, tokenEndpointAuthMethod: 'private_key_jwt', jwks: [ec.jwk] } };
    const request = { endpointPath: '/oauth/token', now: NOW };
    expect(await node().verify(jws({ alg: 'ES256', kid: 'ec-1' }, claims({ jti: 'shared' }), ec.privateKey), key, request)).toMatchObject({ ok: true });
    expect(await node().verify(jws({ alg: 'ES256', kid: 'ec-1' }, claims({ iss: 'client-0002', sub: 'client-0002', jti: 'shared' }), ec.privateKey), second, request)).toMatchObject({ ok: true });
  });

  it('records nothing for an assertion it refuses, so a forged one cannot burn a jti', async () => {
    const request = { endpointPath: '/oauth/token', now: NOW };
    expect(await node().verify(jws({ alg: 'ES256', kid: 'ec-1' }, claims({ jti: 'forged' }), other.privateKey), key, request)).toMatchObject({ ok: false, reason: 'bad_signature' });
    expect(await node().verify(jws({ alg: 'ES256', kid: 'ec-1' }, claims({ jti: 'forged' }), ec.privateKey), key, request)).toMatchObject({ ok: true });
  });

  it("accepts the URL the assertion was sent to as its audience (a revocation endpoint's, say)", async () => {
    const assertion = jws({ alg: 'ES256', kid: 'ec-1' }, claims({ aud: 'https://gw.example/oauth/revoke' }), ec.privateKey);
    expect(await node().verify(assertion, key, { endpointPath: '/oauth/revoke', now: NOW })).toMatchObject({ ok: true });
    const elsewhere = jws({ alg: 'ES256', kid: 'ec-1' }, claims({ aud: 'https://gw.example/oauth/revoke' }), ec.privateKey);
    expect(await node().verify(elsewhere, key, { endpointPath: '/oauth/introspect', now: NOW })).toMatchObject({ ok: false, reason: 'wrong_audience' });
  });
});

describe('registered key sets (management validation)', () => {
  it('takes EC P-256, Ed25519 and RSA 2048 public keys, with or without a fitting alg', () => {
    expect(jwksProblems([ec.jwk, ed.jwk, rsa.jwk])).toEqual([]);
    expect(jwksProblems([{ ...ec.jwk, alg: 'ES256', use: 'sig' }, { ...ed.jwk, alg: 'EdDSA' }, { ...rsa.jwk, alg: 'PS256' }])).toEqual([]);
    expect(jwksProblems([pair('ec').jwk])).toEqual([]);
  });

  it('refuses a private key, naming the private members', () => {
    const privateJwk = { ...(ec.privateKey.export({ format: 'jwk' }) as PublicJwk), kid: 'ec-1' };
    expect(jwksProblems([privateJwk])).toEqual([{ path: '/keys/0', message: "key 1 ('ec-1'): it holds private key material (d); register only the public half" }]);
  });

  it('refuses what node:crypto does not take as a public key, other curves, short RSA keys and key agreement keys', () => {
    expect(jwksProblems([{ kty: 'EC', crv: 'P-256', x: 'AAAA', y: 'AAAA' }])[0]?.message).toMatch(/not a valid public key/);
    expect(jwksProblems([{ kty: 'EC', crv: 'P-256', x: ec.jwk.x ?? '' }])[0]?.message).toMatch(/not a valid public key/);
    expect(jwksProblems([{ kty: 'OKP', crv: 'Ed25519' }])[0]?.message).toMatch(/not a valid public key/);
    const p384 = generateKeyPairSync('ec', { namedCurve: 'P-384' }).publicKey.export({ format: 'jwk' }) as PublicJwk;
    expect(jwksProblems([p384])[0]?.message).toMatch(/P-256/);
    const short = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ format: 'jwk' }) as PublicJwk;
    expect(jwksProblems([short])[0]?.message).toMatch(/at least 2048 bits/);
    const x25519 = generateKeyPairSync('x25519').publicKey.export({ format: 'jwk' }) as PublicJwk;
    expect(jwksProblems([x25519])[0]?.message).toMatch(/x25519 key cannot sign/);
  });

  it('refuses an alg that does not fit the key, two keys with one kid, and a key without kid among several', () => {
    expect(jwksProblems([{ ...ec.jwk, alg: 'RS256' }])[0]?.message).toMatch(/alg 'RS256' does not fit this key; it allows ES256/);
    expect(jwksProblems([{ ...ec.jwk, alg: 'HS256' }])[0]?.message).toMatch(/alg 'HS256' does not fit/);
    expect(jwksProblems([ec.jwk, { ...ed.jwk, kid: 'ec-1' }])).toEqual([{ path: '/keys/1/kid', message: "kid 'ec-1' is used by two keys" }]);
    const { kid: _kid, ...noKid } = ed.jwk;
    expect(jwksProblems([ec.jwk, noKid])).toEqual([{ path: '/keys/1/kid', message: expect.stringContaining('has no kid') }]);
  });
});
