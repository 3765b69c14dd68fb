import { createHmac } from 'node:crypto';
import { createLocalJWKSet, importPKCS8, jwtVerify, SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { generateKeyPair, JWS_ALGORITHMS, looksLikeJwt, publicJwk, signingKey, signJwt, verificationKey, verifyJwt, type JwsKey } from './jwt.ts';

const claims = { iss: 'https://gw.example', sub: 'app-1', aud: 'https://gw.example', client_id: 'client-1', iat: 1_800_000_000, exp: 1_800_003_600, jti: 'tok-1' };

function keyPair(alg: (typeof JWS_ALGORITHMS)[number], kid = `k-${alg}`): { signer: JwsKey; verifier: JwsKey; pem: string } {
  const { publicJwk: jwk, privatePem } = generateKeyPair(alg);
  return { signer: signingKey(kid, alg, privatePem), verifier: verificationKey(kid, alg, jwk), pem: privatePem };
}

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe.each(JWS_ALGORITHMS)('JWT access tokens with %s', (alg) => {
  const { signer, verifier, pem } = keyPair(alg);
  const keys = (kid: string) => (kid === verifier.kid ? verifier : undefined);

  it('signs tokens that jose verifies against the published JWKS, with typ at+jwt and the kid', async () => {
    const token = signJwt(signer, claims);
    const jwks = createLocalJWKSet({ keys: [publicJwk(verifier)] });
    const { payload, protectedHeader } = await jwtVerify(token, jwks, { algorithms: [alg], typ: 'at+jwt', currentDate: new Date(1_800_000_100_000) });
    expect(payload).toEqual(claims);
    expect(protectedHeader).toEqual({ alg, typ: 'at+jwt', kid: verifier.kid });
  });

  it('verifies tokens that jose signed with the same key', async () => {
    const token = await new SignJWT(claims).setProtectedHeader({ alg, typ: 'at+jwt', kid: verifier.kid }).sign(await importPKCS8(pem, alg));
    expect(verifyJwt(token, keys)).toEqual({ ok: true, header: { alg, typ: 'at+jwt', kid: verifier.kid }, claims });
  });

  it('names each key and typ in its own header, though headers are encoded once per key and typ', () => {
    const { signer: second } = keyPair(alg, `second-${alg}`);
    const headerOf = (token: string) => JSON.parse(Buffer.from(token.split('.')[0] as string, 'base64url').toString('utf8')) as unknown;
    const signed = [signJwt(signer, claims), signJwt(signer, claims, 'jwt'), signJwt(second, claims), signJwt(signer, claims)];
    expect(signed.map(headerOf)).toEqual([
      { alg, typ: 'at+jwt', kid: signer.kid },
      { alg, typ: 'jwt', kid: signer.kid },
      { alg, typ: 'at+jwt', kid: second.kid },
      { alg, typ: 'at+jwt', kid: signer.kid },
    ]);
    expect(verifyJwt(signed[3] as string, keys)).toMatchObject({ ok: true, claims });
  });

  it('refuses a tampered payload, an unknown kid and a key of another algorithm', () => {
    const token = signJwt(signer, claims);
    const [h, , s] = token.split('.');
    expect(verifyJwt(`${h}.${b64({ ...claims, sub: 'someone-else' })}.${s}`, keys)).toEqual({ ok: false, reason: 'bad_signature' });
    expect(verifyJwt(token, () => undefined)).toEqual({ ok: false, reason: 'unknown_kid' });
    const other = JWS_ALGORITHMS.find((a) => a !== alg) ?? 'ES256';
    const { verifier: otherKey } = keyPair(other, verifier.kid);
    expect(verifyJwt(token, () => otherKey)).toEqual({ ok: false, reason: 'wrong_alg' });
  });
});

describe('JWT verification refuses what RFC 8725 warns of', () => {
  const { signer, verifier } = keyPair('ES256', 'k1');
  const keys = (kid: string) => (kid === 'k1' ? verifier : undefined);

  it('refuses alg none, even with the right kid', () => {
    const unsigned = `${b64({ alg: 'none', typ: 'at+jwt', kid: 'k1' })}.${b64(claims)}.`;
    expect(verifyJwt(unsigned, keys)).toEqual({ ok: false, reason: 'malformed' });
    const withSignature = `${b64({ alg: 'none', typ: 'at+jwt', kid: 'k1' })}.${b64(claims)}.AAAA`;
    expect(verifyJwt(withSignature, keys)).toEqual({ ok: false, reason: 'wrong_alg' });
  });

  it('refuses HS256 signed with the public key as the HMAC secret (the algorithm swap)', () => {
    const input = `${b64({ alg: 'HS256', typ: 'at+jwt', kid: 'k1' })}.${b64(claims)}`;
    const secret = verifier.publicKey.export({ format: 'pem', type: 'spki' });
    const forged = `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
    expect(verifyJwt(forged, keys)).toEqual({ ok: false, reason: 'wrong_alg' });
  });

  it('refuses a JWT that is not an access token (typ JWT) and one without a kid', () => {
    expect(verifyJwt(signJwt(signer, claims, 'jwt'), keys)).toEqual({ ok: false, reason: 'wrong_typ' });
    const noKid = `${b64({ alg: 'ES256', typ: 'at+jwt' })}.${b64(claims)}.AAAA`;
    expect(verifyJwt(noKid, keys)).toEqual({ ok: false, reason: 'unknown_kid' });
  });

  it('refuses garbage without throwing', () => {
    for (const token of ['', 'a', 'a.b', 'a.b.c.d', '..', 'a..c', '%%%.%%%.%%%', `${b64([1])}.${b64(claims)}.x`, `${b64({ alg: 'ES256', typ: 'at+jwt', kid: 'k1' })}.bm90IGpzb24.x`]) {
      expect(verifyJwt(token, keys).ok, token).toBe(false);
    }
  });

  it('tells JWTs from opaque tokens by shape', () => {
    expect(looksLikeJwt(signJwt(signer, claims))).toBe(true);
    expect(looksLikeJwt('GXZpcK7Q3m9vGSp4hQ5C0kQ9JQ4')).toBe(false);
    expect(looksLikeJwt('a.b')).toBe(false);
  });
});
