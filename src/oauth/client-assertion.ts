// `private_key_jwt` client authentication (RFC 7523 §2.2 and §3, RFC 7521 §4.2, OpenID Connect Core §9): a client
// signs a short-lived JWT with its private key; Gatehouse checks it against the public keys the app registered.
// The key decides the algorithm (never the header alone), each assertion is single use until it expires, and the
// replay check is a unique insert in the store, so every node refuses an assertion any node has accepted.
import { constants, createPublicKey, verify, type JsonWebKey, type KeyObject } from 'node:crypto';
import type { PublicJwk } from '../model/app.ts';
import type { KeyRecord } from '../policies/policy.ts';
import { UniqueViolation, type OAuthTokenRecord, type Repositories } from '../store/index.ts';
import { hashSecret, newId } from '../util/secrets.ts';
import { parsePart } from './jwt.ts';

/** RFC 7523 §2.2: the only `client_assertion_type` Gatehouse accepts. */
export const CLIENT_ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

/**
 * What an assertion may be signed with. `Ed25519` is the fully specified name of EdDSA over Ed25519 (RFC 9864), which
 * oauth4webapi sends; `none` and the HMAC algorithms are never accepted (a public key is no shared secret).
 */
export const CLIENT_ASSERTION_ALGORITHMS = ['ES256', 'EdDSA', 'Ed25519', 'RS256', 'PS256'] as const;
type AssertionAlgorithm = (typeof CLIENT_ASSERTION_ALGORITHMS)[number];

/** Clocks of client and gateway may disagree by this much (exp, nbf, iat). */
export const ASSERTION_CLOCK_SKEW_MS = 60_000;

/**
 * An assertion may expire at most this long after now (plus the skew). Clients make one per request and give it a
 * minute (openid-client, oauth4webapi, Spring); the bound keeps a leaked assertion short-lived and the replay
 * records few (each is kept until its assertion expires).
 */
export const ASSERTION_MAX_LIFETIME_MS = 300_000;

/** Longer than any honest assertion (an RSA 4096 signature is 683 characters); refused before any parsing. */
const MAX_ASSERTION_LENGTH = 16_384;
const MAX_JTI_LENGTH = 512;

/** JWK members that only a private key has (RFC 7518 §6.2.2, §6.3.2, §6.4; RFC 8037 §2). */
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'];

/** A registered key, compiled once: the key object and the algorithms it may verify. */
interface AssertionKey {
  readonly kid: string | undefined;
  readonly algorithms: readonly AssertionAlgorithm[];
  readonly publicKey: KeyObject;
}

const isAlgorithm = (value: string): value is AssertionAlgorithm => (CLIENT_ASSERTION_ALGORITHMS as readonly string[]).includes(value);

/** The algorithms a key type allows; a JWK's own `alg` narrows them to that one (Ed25519 and EdDSA are one). */
function algorithmsFor(publicKey: KeyObject, declared: string | undefined): { algorithms: AssertionAlgorithm[] } | { problem: string } {
  let allowed: AssertionAlgorithm[];
  const type = publicKey.asymmetricKeyType;
  if (type === 'ec') {
    if (publicKey.asymmetricKeyDetails?.namedCurve !== 'prime256v1') return { problem: 'EC keys must be on the P-256 curve (ES256)' };
    allowed = ['ES256'];
  } else if (type === 'ed25519') {
    allowed = ['EdDSA', 'Ed25519'];
  } else if (type === 'rsa') {
    // RFC 7518 §3.3 and §3.5: 2048 bits or more.
    if ((publicKey.asymmetricKeyDetails?.modulusLength ?? 0) < 2048) return { problem: 'RSA keys must have at least 2048 bits (RFC 7518 §3.3)' };
    allowed = ['RS256', 'PS256'];
  } else {
    return { problem: `a ${type ?? 'unknown'} key cannot sign client assertions; use EC P-256 (ES256), Ed25519 (EdDSA) or RSA (RS256, PS256)` };
  }
  if (declared === undefined) return { algorithms: allowed };
  if (!isAlgorithm(declared) || !allowed.includes(declared)) return { problem: `alg '${declared}' does not fit this key; it allows ${allowed.join(', ')}` };
  return { algorithms: declared === 'EdDSA' || declared === 'Ed25519' ? ['EdDSA', 'Ed25519'] : [declared] };
}

/** One registered JWK as a verification key, or why it cannot be one. */
function compileJwk(jwk: PublicJwk): { key: AssertionKey } | { problem: string } {
  const raw = jwk as Record<string, unknown>;
  const secret = PRIVATE_MEMBERS.filter((member) => raw[member] !== undefined);
  if (secret.length > 0) return { problem: `it holds private key material (${secret.join(', ')}); register only the public half` };
  let publicKey: KeyObject;
  try {
    publicKey = createPublicKey({ key: jwk as JsonWebKey, format: 'jwk' });
  } catch (error) {
    return { problem: `it is not a valid public key (${error instanceof Error ? error.message : String(error)})` };
  }
  const checked = algorithmsFor(publicKey, jwk.alg);
  if ('problem' in checked) return checked;
  return { key: { kid: jwk.kid, algorithms: checked.algorithms, publicKey } };
}

/** A problem with a registered key set, at the JSON pointer of the key (relative to the key set). */
export interface JwksProblem {
  readonly path: string;
  readonly message: string;
}

/**
 * What is wrong with a key set an app registers for `private_key_jwt`, if anything: keys node:crypto does not take
 * as public keys, private members, unsupported key types or curves, short RSA keys, an `alg` that does not fit the
 * key, and kids that cannot pick one key (two alike, or a key without one among several).
 */
export function jwksProblems(keys: readonly PublicJwk[]): JwksProblem[] {
  const problems: JwksProblem[] = [];
  const seen = new Set<string>();
  keys.forEach((jwk, index) => {
    const path = `/keys/${index}`;
    const compiled = compileJwk(jwk);
    if ('problem' in compiled) problems.push({ path, message: `key ${index + 1}${jwk.kid ? ` ('${jwk.kid}')` : ''}: ${compiled.problem}` });
    if (jwk.kid === undefined) {
      if (keys.length > 1) problems.push({ path: `${path}/kid`, message: `key ${index + 1} has no kid: with more than one key, each needs a kid so that an assertion can name its key` });
    } else if (seen.has(jwk.kid)) {
      problems.push({ path: `${path}/kid`, message: `kid '${jwk.kid}' is used by two keys` });
    } else {
      seen.add(jwk.kid);
    }
  });
  return problems;
}

/** Compiled key sets, by the array a KeyRecord carries (the same until the app changes): compile once, verify often. */
const compiledSets = new WeakMap<readonly PublicJwk[], readonly AssertionKey[]>();

function compiledKeys(jwks: readonly PublicJwk[]): readonly AssertionKey[] {
  let keys = compiledSets.get(jwks);
  if (!keys) {
    // A key that does not compile was refused when the app was saved; if one got into the store anyway, it verifies nothing.
    keys = jwks.flatMap((jwk) => {
      const compiled = compileJwk(jwk);
      return 'key' in compiled ? [compiled.key] : [];
    });
    compiledSets.set(jwks, keys);
  }
  return keys;
}

function verifySignature(alg: AssertionAlgorithm, key: KeyObject, input: Buffer, signature: Buffer): boolean {
  switch (alg) {
    case 'ES256':
      // JWS ECDSA signatures are r || s, not DER (RFC 7518 §3.4).
      return verify('sha256', input, { key, dsaEncoding: 'ieee-p1363' }, signature);
    case 'EdDSA':
    case 'Ed25519':
      return verify(null, input, key, signature);
    case 'RS256':
      return verify('sha256', input, key, signature);
    case 'PS256':
      // RFC 7518 §3.5: MGF1 with SHA-256 and a salt as long as the hash.
      return verify('sha256', input, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }, signature);
  }
}

const BASE64URL = /^[A-Za-z0-9_-]*$/;

function splitJws(assertion: string): { header: Record<string, unknown>; claims: Record<string, unknown>; input: Buffer; signature: Buffer } | undefined {
  if (assertion.length > MAX_ASSERTION_LENGTH) return undefined;
  const parts = assertion.split('.');
  // An empty signature (`alg: none`) parses, so that it is refused for what it is.
  if (parts.length !== 3 || !parts.every((part) => BASE64URL.test(part))) return undefined;
  const [h = '', p = '', s = ''] = parts;
  const header = parsePart(h);
  const claims = parsePart(p);
  if (!header || !claims) return undefined;
  return { header, claims, input: Buffer.from(`${h}.${p}`), signature: Buffer.from(s, 'base64url') };
}

/**
 * The client id an assertion claims (`sub`, RFC 7523 §3), read without checking anything: only to find the client
 * whose keys then check it, when the request has no `client_id`. Undefined when it is not a JWT with a string `sub`.
 */
export function assertedClientId(assertion: string): string | undefined {
  const parts = assertion.length > MAX_ASSERTION_LENGTH ? undefined : assertion.split('.');
  if (!parts || parts.length !== 3) return undefined;
  const claims = parsePart(parts[1] ?? '');
  return typeof claims?.sub === 'string' && claims.sub !== '' ? claims.sub : undefined;
}

export type AssertionRefusal =
  | 'malformed'
  | 'unsupported_alg'
  | 'unknown_kid'
  | 'wrong_alg'
  | 'bad_signature'
  | 'wrong_issuer'
  | 'wrong_subject'
  | 'wrong_audience'
  | 'missing_exp'
  | 'expired'
  | 'not_yet_valid'
  | 'lifetime_too_long'
  | 'missing_jti'
  | 'replayed';

export type AssertionCheck = { ok: true; jti: string; expiresAt: number } | { ok: false; reason: AssertionRefusal; message: string };

export interface AssertionExpectations {
  /** The client the assertion must be from and about (iss = sub = client_id). */
  clientId: string;
  /** The app's registered public keys. */
  jwks: readonly PublicJwk[];
  /** The issuer identifier of the authorization server: an accepted audience, always. */
  issuer: string;
  /** The other accepted audiences (the token endpoint's URL, the URL the assertion was sent to); read only when needed. */
  otherAudiences: () => readonly string[];
  /** Now, from the injected clock (ms). */
  now: number;
}

const refuse = (reason: AssertionRefusal, message: string): AssertionCheck => ({ ok: false, reason, message });
const isNumericDate = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value) && value >= 0;
const seconds = (ms: number) => Math.round(ms / 1000);

/**
 * Checks an assertion's signature and claims (everything but replay, which needs the store): the key its `kid` names
 * (or the only key), an algorithm that key allows, `iss` = `sub` = the client id, an `aud` naming this authorization
 * server, `exp` required, not past and at most ASSERTION_MAX_LIFETIME_MS ahead, `nbf` and `iat` not in the future,
 * and a `jti`. Times allow ASSERTION_CLOCK_SKEW_MS either way.
 */
export function checkClientAssertion(assertion: string, expected: AssertionExpectations): AssertionCheck {
  const jws = splitJws(assertion);
  if (!jws) return refuse('malformed', 'The client_assertion is not a JWT in compact serialization (three base64url parts with a JSON header and claims).');
  const { header, claims } = jws;
  const alg = header.alg;
  if (typeof alg !== 'string') return refuse('malformed', 'The client_assertion header has no alg.');
  if (alg.toLowerCase() === 'none') return refuse('unsupported_alg', "alg 'none' is refused: the client_assertion must be signed with the client's private key (RFC 7523 §3).");
  if (/^HS\d+$/i.test(alg)) return refuse('unsupported_alg', `alg '${alg}' is refused: private_key_jwt assertions are signed with the private key whose public half the app registered, not with a shared secret.`);
  if (!isAlgorithm(alg)) return refuse('unsupported_alg', `alg '${alg}' is not supported; use one of ${CLIENT_ASSERTION_ALGORITHMS.join(', ')}.`);
  // RFC 7515 §4.1.11: extensions the recipient does not understand must make it reject the JWS; Gatehouse knows none.
  if (header.crit !== undefined) return refuse('malformed', 'The client_assertion header has crit extensions, which Gatehouse does not support.');

  const keys = compiledKeys(expected.jwks);
  let key: AssertionKey | undefined;
  if (header.kid !== undefined) {
    if (typeof header.kid !== 'string') return refuse('malformed', 'The client_assertion header kid is not a string.');
    const kid = header.kid;
    key = keys.find((k) => k.kid === kid);
    if (!key) return refuse('unknown_kid', `No key the app registered has kid '${kid.slice(0, 100)}'.`);
  } else {
    if (keys.length !== 1) return refuse('unknown_kid', `The client_assertion header has no kid, and the app has ${keys.length} keys: name one with kid.`);
    key = keys[0];
  }
  if (!key) return refuse('unknown_kid', 'The app has no usable key.');
  if (!key.algorithms.includes(alg)) return refuse('wrong_alg', `The key${key.kid ? ` '${key.kid}'` : ''} verifies ${key.algorithms.join(' or ')}, not ${alg}.`);
  if (!verifySignature(alg, key.publicKey, jws.input, jws.signature)) return refuse('bad_signature', `The client_assertion signature does not verify with the registered key${key.kid ? ` '${key.kid}'` : ''}.`);

  const { iss, sub, aud, exp, nbf, iat, jti } = claims;
  // RFC 7523 §3 items 1 and 2; OpenID Connect Core §9: iss and sub are both the client id.
  if (iss !== expected.clientId) return refuse('wrong_issuer', `The client_assertion iss must be the client id '${expected.clientId}'.`);
  if (sub !== expected.clientId) return refuse('wrong_subject', `The client_assertion sub must be the client id '${expected.clientId}'.`);
  // RFC 7523 §3 item 3: aud identifies this authorization server: its issuer, or its token endpoint's URL.
  const audiences = typeof aud === 'string' ? [aud] : Array.isArray(aud) ? aud.filter((a): a is string => typeof a === 'string') : [];
  if (!audiences.includes(expected.issuer)) {
    const others = expected.otherAudiences();
    if (!audiences.some((a) => others.includes(a))) {
      return refuse('wrong_audience', `The client_assertion aud must name this authorization server: its issuer '${expected.issuer}'${others.length > 0 ? ` or ${others.map((o) => `'${o}'`).join(' or ')}` : ''}.`);
    }
  }
  // RFC 7523 §3 item 4: exp is required, and the assertion is refused after it.
  if (exp === undefined) return refuse('missing_exp', 'The client_assertion has no exp; it is required (RFC 7523 §3).');
  if (!isNumericDate(exp)) return refuse('malformed', 'The client_assertion exp is not a NumericDate.');
  const now = expected.now;
  const expiresAt = exp * 1000;
  if (expiresAt + ASSERTION_CLOCK_SKEW_MS <= now) return refuse('expired', 'The client_assertion has expired; make a new one for each request.');
  if (expiresAt - now > ASSERTION_MAX_LIFETIME_MS + ASSERTION_CLOCK_SKEW_MS) {
    return refuse('lifetime_too_long', `The client_assertion expires in ${seconds(expiresAt - now)} s; Gatehouse accepts assertions that expire within ${seconds(ASSERTION_MAX_LIFETIME_MS)} s.`);
  }
  // RFC 7523 §3 items 5 and 6.
  if (nbf !== undefined && (!isNumericDate(nbf) || nbf * 1000 - ASSERTION_CLOCK_SKEW_MS > now)) return refuse('not_yet_valid', 'The client_assertion nbf is in the future (or not a NumericDate).');
  if (iat !== undefined && (!isNumericDate(iat) || iat * 1000 - ASSERTION_CLOCK_SKEW_MS > now)) return refuse('not_yet_valid', 'The client_assertion iat is in the future (or not a NumericDate).');
  if (iat !== undefined && iat > exp) return refuse('malformed', 'The client_assertion iat is after its exp.');
  // RFC 7523 §3 item 7 lets the server require a jti; OpenID Connect Core §9 does, and Gatehouse uses it against replay.
  if (typeof jti !== 'string' || jti === '') return refuse('missing_jti', 'The client_assertion has no jti; it is required, and each assertion is accepted once.');
  if (jti.length > MAX_JTI_LENGTH) return refuse('malformed', `The client_assertion jti is longer than ${MAX_JTI_LENGTH} characters.`);
  return { ok: true, jti, expiresAt };
}

/** What the client authentication of the token, revocation and introspection endpoints asks of `private_key_jwt`. */
export interface ClientAssertionVerifier {
  /**
   * Checks an assertion of the client `key` sent to the endpoint at `endpointPath` (the request path), and records its
   * jti so that it is not accepted again, on any node, until it expires.
   */
  verify(assertion: string, key: KeyRecord, request: { endpointPath: string; now: number }): Promise<AssertionCheck>;
}

/** Namespaced, so that a replay record's hash can never equal a token's; client ids have no colon. */
const replayHash = (clientId: string, jti: string) => hashSecret(`assertion:${clientId}:${jti}`);

export class ClientAssertions implements ClientAssertionVerifier {
  readonly #store: Pick<Repositories, 'oauthTokens'>;
  readonly #issuer: () => string;
  readonly #gatewayUrl: () => string;
  readonly #tokenEndpointUrl: () => string | undefined;

  /**
   * `issuer`: the gateway's issuer identifier; `gatewayUrl`: the gateway as clients reach it (with the request path,
   * the URL an assertion was sent to); `tokenEndpointUrl`: the token endpoint the metadata advertises, if any.
   */
  constructor(deps: { store: Pick<Repositories, 'oauthTokens'>; issuer: () => string; gatewayUrl: () => string; tokenEndpointUrl?: () => string | undefined }) {
    this.#store = deps.store;
    this.#issuer = deps.issuer;
    this.#gatewayUrl = deps.gatewayUrl;
    this.#tokenEndpointUrl = deps.tokenEndpointUrl ?? (() => undefined);
  }

  async verify(assertion: string, key: KeyRecord, request: { endpointPath: string; now: number }): Promise<AssertionCheck> {
    const checked = checkClientAssertion(assertion, {
      clientId: key.clientId,
      jwks: key.app.jwks,
      issuer: this.#issuer(),
      otherAudiences: () => {
        const here = `${this.#gatewayUrl().replace(/\/+$/, '')}${request.endpointPath}`;
        const token = this.#tokenEndpointUrl();
        return token === undefined || token === here ? [here] : [token, here];
      },
      now: request.now,
    });
    if (!checked.ok) return checked;
    // Single use until it expires (RFC 7523 §3 item 7): a row keyed by the jti's hash; the store's unique index makes a
    // second insert fail however many nodes race. The row expires when the assertion could no longer be accepted.
    const record: OAuthTokenRecord = {
      id: newId(),
      kind: 'assertion',
      tokenHash: replayHash(key.clientId, checked.jti),
      clientId: key.clientId,
      appId: key.app.id,
      developerId: key.developer.id,
      products: [],
      scope: '',
      grantType: CLIENT_ASSERTION_TYPE,
      endUser: null,
      issuedAt: request.now,
      expiresAt: Math.ceil(checked.expiresAt + ASSERTION_CLOCK_SKEW_MS),
      revokedAt: null,
      familyId: null,
      attributes: {},
    };
    try {
      await this.#store.oauthTokens.insert(record);
    } catch (error) {
      if (error instanceof UniqueViolation) return refuse('replayed', 'This client_assertion (its jti) was already used; make a new one for each request.');
      throw error;
    }
    return checked;
  }
}
