// The authorization code grant's round trip through the login and consent page (RFC 6749 §4.1): the authorization
// endpoint checks the request, seals it into a short-lived handle and sends the browser to the page; the page signs the
// user in, asks for consent and sends the browser back with a consent ticket bound to that handle. Both are HMACed with
// a key derived from the server secret, so any node (and the hub) can open them and nothing is stored until a code is.
import { createHash, createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Clock } from '../util/clock.ts';
import { randomToken } from '../util/secrets.ts';

/** A checked authorization request, as the authorization endpoint accepted it. */
export interface AuthorizationRequest {
  readonly clientId: string;
  /** The redirect URI the code goes to: the one given, or the app's only registered one. */
  readonly redirectUri: string;
  /** Whether the client sent `redirect_uri` (then the token request must send the same, RFC 6749 §4.1.3). */
  readonly redirectUriGiven: boolean;
  /** The scope the code will carry (space-separated; already narrowed to what the app's products allow). */
  readonly scope: string;
  readonly state: string | undefined;
  /** RFC 7636: the S256 challenge, when the client sent one. */
  readonly codeChallenge: string | undefined;
  /** Where the browser comes back to with the consent: this authorization endpoint's own URL. */
  readonly authorizeUrl: string;
  /** Epoch ms after which the handle is refused. */
  readonly expiresAt: number;
}

/** The user's answer to an authorization request, bound to its handle. */
export interface Consent {
  readonly userId: string;
  readonly email: string;
  readonly decision: 'allow' | 'deny';
  readonly expiresAt: number;
}

/** How long a sealed request may wait on the login page: signing in and reading the consent page take time. */
export const REQUEST_LIFETIME_MS = 10 * 60_000;
/** How long the browser has to bring a consent back to the authorization endpoint: one redirect. */
export const CONSENT_LIFETIME_MS = 2 * 60_000;

const VERSION = 'v1';

/** Seals and opens authorization request handles and consent tickets (HMAC-SHA256, a key of their own). */
export class AuthorizationSeals {
  readonly #key: Buffer;
  readonly #clock: Clock;

  /** `secret`: the server secret; without one (PostgreSQL without GATEHOUSE_SECRET_KEY) a key for this process only. */
  constructor(secret: string | undefined, clock: Clock) {
    const input = secret ?? randomToken(32);
    this.#key = Buffer.from(hkdfSync('sha256', input, 'gatehouse', 'authorization requests and consents', 32));
    this.#clock = clock;
  }

  sealRequest(request: Omit<AuthorizationRequest, 'expiresAt'>): string {
    return this.#seal({ t: 'request', ...request, expiresAt: this.#clock.now() + REQUEST_LIFETIME_MS, n: randomBytes(9).toString('base64url') });
  }

  /** The request a handle holds; `expired` when it is genuine but too old; undefined when it is not genuine. */
  openRequest(handle: string): { request: AuthorizationRequest; expired: boolean } | undefined {
    const payload = this.#open(handle);
    if (payload?.['t'] !== 'request') return undefined;
    const request = payload as unknown as AuthorizationRequest;
    return { request, expired: request.expiresAt <= this.#clock.now() };
  }

  sealConsent(handle: string, consent: Omit<Consent, 'expiresAt'>): string {
    return this.#seal({ t: 'consent', handle: digest(handle), ...consent, expiresAt: this.#clock.now() + CONSENT_LIFETIME_MS });
  }

  /** The consent a ticket holds when it is genuine, unexpired and was made for this handle. */
  openConsent(ticket: string, handle: string): Consent | undefined {
    const payload = this.#open(ticket);
    if (payload?.['t'] !== 'consent' || payload['handle'] !== digest(handle)) return undefined;
    const consent = payload as unknown as Consent;
    return consent.expiresAt > this.#clock.now() ? consent : undefined;
  }

  #seal(payload: Record<string, unknown>): string {
    const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
    return `${VERSION}.${body}.${this.#mac(body)}`;
  }

  #open(sealed: string): Record<string, unknown> | undefined {
    if (sealed.length > 8192) return undefined;
    const [version, body, mac, extra] = sealed.split('.');
    if (version !== VERSION || !body || !mac || extra !== undefined) return undefined;
    const expected = Buffer.from(this.#mac(body));
    const given = Buffer.from(mac);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
    try {
      const payload: unknown = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
      return payload !== null && typeof payload === 'object' ? (payload as Record<string, unknown>) : undefined;
    } catch {
      return undefined;
    }
  }

  #mac(body: string): string {
    return createHmac('sha256', this.#key).update(body).digest('base64url');
  }
}

const digest = (value: string): string => createHash('sha256').update(value).digest('base64url');

/** RFC 7636 §4.1–4.2: a code verifier is 43–128 unreserved characters; the S256 challenge is its hash, base64url. */
export const CODE_VERIFIER = /^[A-Za-z0-9._~-]{43,128}$/;
export const S256_CHALLENGE = /^[A-Za-z0-9_-]{43}$/;

/** RFC 7636 §4.6: whether the verifier hashes to the challenge (compared in constant time). */
export function verifierMatches(verifier: string, challenge: string): boolean {
  const computed = Buffer.from(createHash('sha256').update(verifier, 'ascii').digest('base64url'));
  const expected = Buffer.from(challenge);
  return computed.length === expected.length && timingSafeEqual(computed, expected);
}
