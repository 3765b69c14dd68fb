// Random identifiers and secrets, their hashes, and constant-time comparison.
import { createHash, randomBytes, randomFillSync, randomUUID, scrypt, timingSafeEqual } from 'node:crypto';

/** A UUID for row ids. */
export function newId(): string {
  return randomUUID();
}

/**
 * Random bytes for values made on every call (tokens, their row ids), drawn from one buffer refilled 4 KiB at a time
 * from the CSPRNG, as Node's randomUUID does: a randomBytes() call each cost about 4% of a token request (bench
 * --cpu-prof). Every byte is handed out once; callers get a copy or a string, never a view of the pool.
 */
const POOL_SIZE = 4096;
const pool = Buffer.allocUnsafeSlow(POOL_SIZE);
let poolOffset = POOL_SIZE;

function fromPool(size: number): Buffer {
  if (size > POOL_SIZE) return randomBytes(size);
  if (poolOffset + size > POOL_SIZE) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  const bytes = Buffer.from(pool.subarray(poolOffset, poolOffset + size));
  pool.fill(0, poolOffset, poolOffset + size);
  poolOffset += size;
  return bytes;
}

/** `size` random bytes as base64url: tokens, codes, JWT ids, secrets (32 bytes: 43 characters). */
export function randomToken(size = 32): string {
  return fromPool(size).toString('base64url');
}

/**
 * A UUID version 7 (RFC 9562 §5.7): 48 bits of Unix milliseconds, then 74 random bits. For rows written at a high
 * rate (tokens): keyed by it, a B-tree index grows at its end instead of at a random page, so an insert touches the
 * same few pages as the one before (bench: a third less SQLite time per issued token).
 */
export function newTimeOrderedId(nowMs: number): string {
  const bytes = fromPool(16);
  bytes.writeUIntBE(Math.max(0, Math.floor(nowMs)) % 2 ** 48, 0, 6);
  bytes[6] = ((bytes[6] as number) & 0x0f) | 0x70;
  bytes[8] = ((bytes[8] as number) & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
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
  return randomToken(32);
}

/** A personal access token for the management API; the prefix makes leaked tokens easy to recognise. */
export function newPersonalToken(): string {
  return `ghp_${randomToken(32)}`;
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
