// Compact JWS for JWT access tokens (RFC 7515, RFC 7519, RFC 9068) with node:crypto: ES256, EdDSA and RS256 only.
// Verification names the algorithm by the key, never by the token, so `alg: none` and algorithm swaps cannot pass.
import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type JsonWebKey, type KeyObject } from 'node:crypto';

export const JWS_ALGORITHMS = ['ES256', 'EdDSA', 'RS256'] as const;
export type JwsAlgorithm = (typeof JWS_ALGORITHMS)[number];

/** A key that signs (private part present) or only verifies. */
export interface JwsKey {
  readonly kid: string;
  readonly alg: JwsAlgorithm;
  readonly publicKey: KeyObject;
  readonly privateKey?: KeyObject;
}

export interface KeyPairPem {
  publicJwk: JsonWebKey;
  privatePem: string;
}

/** A new key pair for the algorithm: P-256 for ES256, Ed25519 for EdDSA, RSA 2048 for RS256. */
export function generateKeyPair(alg: JwsAlgorithm): KeyPairPem {
  const pair =
    alg === 'ES256'
      ? generateKeyPairSync('ec', { namedCurve: 'P-256' })
      : alg === 'EdDSA'
        ? generateKeyPairSync('ed25519')
        : generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { publicJwk: pair.publicKey.export({ format: 'jwk' }), privatePem: pair.privateKey.export({ format: 'pem', type: 'pkcs8' }) as string };
}

export function signingKey(kid: string, alg: JwsAlgorithm, privatePem: string): JwsKey {
  const privateKey = createPrivateKey(privatePem);
  return { kid, alg, privateKey, publicKey: createPublicKey(privateKey) };
}

export function verificationKey(kid: string, alg: JwsAlgorithm, publicJwk: JsonWebKey): JwsKey {
  return { kid, alg, publicKey: createPublicKey({ key: publicJwk, format: 'jwk' }) };
}

/** The JWK a JWKS endpoint publishes for the key (RFC 7517 §4: kid, alg, use). */
export function publicJwk(key: JwsKey): JsonWebKey & { kid: string; alg: string; use: 'sig' } {
  return { ...key.publicKey.export({ format: 'jwk' }), kid: key.kid, alg: key.alg, use: 'sig' };
}

const b64 = (value: Buffer | string) => Buffer.from(value).toString('base64url');

// ES256 signatures in JWS are r || s (64 bytes), not DER (RFC 7518 §3.4).
function cryptoOptions(alg: JwsAlgorithm, key: KeyObject) {
  return alg === 'ES256' ? { key, dsaEncoding: 'ieee-p1363' as const } : key;
}

function digestOf(alg: JwsAlgorithm): string | null {
  return alg === 'EdDSA' ? null : 'sha256';
}

// A key signs every token with the same header, so its encoded form is made once per key and `typ`.
const headers = new WeakMap<JwsKey, Map<string, string>>();

function encodedHeader(key: JwsKey, typ: string): string {
  let byTyp = headers.get(key);
  if (!byTyp) headers.set(key, (byTyp = new Map()));
  let header = byTyp.get(typ);
  if (header === undefined) byTyp.set(typ, (header = b64(JSON.stringify({ alg: key.alg, typ, kid: key.kid }))));
  return header;
}

/** Signs the claims; `typ` is `at+jwt` for access tokens (RFC 9068 §2.1). */
export function signJwt(key: JwsKey, claims: object, typ = 'at+jwt'): string {
  if (!key.privateKey) throw new Error(`Key ${key.kid} has no private part and cannot sign.`);
  const input = `${encodedHeader(key, typ)}.${b64(JSON.stringify(claims))}`;
  const signature = sign(digestOf(key.alg), Buffer.from(input), cryptoOptions(key.alg, key.privateKey));
  return `${input}.${signature.toString('base64url')}`;
}

/** True when the string has the shape of a compact JWS (three base64url parts); cheap, for telling JWTs from opaque tokens. */
export function looksLikeJwt(token: string): boolean {
  const first = token.indexOf('.');
  const second = first < 0 ? -1 : token.indexOf('.', first + 1);
  return first > 0 && second > first + 1 && second < token.length - 1 && token.indexOf('.', second + 1) < 0;
}

export type JwtRejection = 'malformed' | 'unknown_kid' | 'wrong_alg' | 'wrong_typ' | 'bad_signature';

export type JwtCheck = { ok: true; header: Record<string, unknown>; claims: Record<string, unknown> } | { ok: false; reason: JwtRejection };

/** One base64url JSON part of a JWS (header or payload) as an object, or undefined when it is not one. */
export function parsePart(part: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Checks a compact JWS against the key its `kid` names. The key decides the algorithm: a header `alg` that differs
 * (`none`, HS256 with the public key as secret, …) is refused before any cryptography. Claims are not judged here
 * (expiry, issuer, audience are the caller's: they need the clock and the configuration).
 */
export function verifyJwt(token: string, keyFor: (kid: string) => JwsKey | undefined, typ = 'at+jwt'): JwtCheck {
  if (!looksLikeJwt(token)) return { ok: false, reason: 'malformed' };
  const [h = '', p = '', s = ''] = token.split('.');
  const header = parsePart(h);
  if (!header) return { ok: false, reason: 'malformed' };
  if (typeof header.kid !== 'string') return { ok: false, reason: 'unknown_kid' };
  const key = keyFor(header.kid);
  if (!key) return { ok: false, reason: 'unknown_kid' };
  if (header.alg !== key.alg) return { ok: false, reason: 'wrong_alg' };
  // RFC 9068 §4: resource servers MUST check typ, so an ID token or another JWT is not taken as an access token.
  if (typeof header.typ !== 'string' || (header.typ.toLowerCase() !== typ && header.typ.toLowerCase() !== `application/${typ}`)) return { ok: false, reason: 'wrong_typ' };
  const signature = Buffer.from(s, 'base64url');
  if (!verify(digestOf(key.alg), Buffer.from(`${h}.${p}`), cryptoOptions(key.alg, key.publicKey), signature)) return { ok: false, reason: 'bad_signature' };
  const claims = parsePart(p);
  if (!claims) return { ok: false, reason: 'malformed' };
  return { ok: true, header, claims };
}
