// Random identifiers and secrets, their hashes, and constant-time comparison.
import { createHash, randomBytes, randomUUID, scrypt, timingSafeEqual } from 'node:crypto';

/** A UUID for row ids. */
export function newId(): string {
  return randomUUID();
}

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** A random alphanumeric string (no characters that need escaping in URLs, forms or Basic auth). */
export function randomAlphanumeric(length: number): string {
  // Rejection sampling keeps the distribution uniform: 62 does not divide 256.
  let out = '';
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < 248 && out.length < length) out += ALPHANUMERIC[byte % 62];
    }
  }
  return out;
}

/** A generated OAuth client id: 32 alphanumerics (about 190 bits), like Apigee's consumer keys. */
export function newClientId(): string {
  return randomAlphanumeric(32);
}

/** A generated client secret: 32 random bytes, base64url (43 characters). DESIGN.md §6. */
export function newClientSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** A personal access token for the management API; the prefix makes leaked tokens easy to recognise. */
export function newPersonalToken(): string {
  return `ghp_${randomBytes(32).toString('base64url')}`;
}

/**
 * SHA-256 of a high-entropy secret (client secrets, tokens). A slow hash would protect nothing more here,
 * since these secrets cannot be guessed, and would make the token endpoint crawl (DESIGN.md §6).
 */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** Compares two strings in time that depends only on their lengths. */
export function constantTimeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  if (left.length !== right.length) {
    timingSafeEqual(left, left);
    return false;
  }
  return timingSafeEqual(left, right);
}

/** Checks a presented secret against a stored SHA-256 hash, in constant time. */
export function secretMatches(secret: string, storedHash: string): boolean {
  return constantTimeEqual(hashSecret(secret), storedHash);
}

// Passwords are low-entropy, so they get a slow, salted hash: scrypt with N=2^15 (about 50 ms here).
const SCRYPT = { N: 32768, r: 8, p: 1, keylen: 32, maxmem: 64 * 1024 * 1024 } as const;

function scryptAsync(password: string, salt: Buffer, N: number, r: number, p: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password, salt, SCRYPT.keylen, { N, r, p, maxmem: SCRYPT.maxmem }, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}

/** Hashes a password as `scrypt$N$r$p$salt$hash` (base64url parts). */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scryptAsync(password, salt, SCRYPT.N, SCRYPT.r, SCRYPT.p);
  return ['scrypt', SCRYPT.N, SCRYPT.r, SCRYPT.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !n || !r || !p || !salt || !hash) return false;
  const key = await scryptAsync(password, Buffer.from(salt, 'base64url'), Number(n), Number(r), Number(p));
  const expected = Buffer.from(hash, 'base64url');
  return key.length === expected.length && timingSafeEqual(key, expected);
}

// A hash of a random password, made once: a sign-in for an unknown user, an inactive one or one without a password
// is checked against it, so every failure costs one scrypt and the time taken does not say which users exist.
let decoy: Promise<string> | undefined;
const decoyHash = () => (decoy ??= hashPassword(randomBytes(18).toString('base64url')));

/** Checks a password against a stored hash, or against a decoy when there is none (same cost either way). */
export async function passwordMatches(password: string, stored: string | null | undefined): Promise<boolean> {
  const matches = await verifyPassword(password, stored ?? (await decoyHash()));
  return stored !== null && stored !== undefined && matches;
}
