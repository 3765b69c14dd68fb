// Encryption at rest for values of encrypted key value maps: AES-256-GCM under a key derived (HKDF-SHA256) from the
// server secret (GATEHOUSE_SECRET_KEY or the data directory's secret.key). Each value gets a random 96-bit IV, and its
// place (map id and key) is the additional authenticated data, so a ciphertext copied to another entry fails to open.
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

const PREFIX = 'v1:';
const IV_BYTES = 12;
const TAG_BYTES = 16;

export class ValueCipher {
  readonly #key: Buffer;

  constructor(secret: string) {
    if (secret.length < 32) throw new Error('the secret key must have at least 32 characters');
    this.#key = Buffer.from(hkdfSync('sha256', Buffer.from(secret, 'utf8'), Buffer.from('gatehouse'), Buffer.from('kvm-values-v1'), 32));
  }

  /** `v1:` + base64url(iv | tag | ciphertext). */
  encrypt(plain: string, context: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.#key, iv);
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return PREFIX + Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
  }

  /** Throws when the text was not made by encrypt() with this key and context. */
  decrypt(text: string, context: string): string {
    if (!text.startsWith(PREFIX)) throw new Error('not an encrypted value');
    const raw = Buffer.from(text.slice(PREFIX.length), 'base64url');
    if (raw.length < IV_BYTES + TAG_BYTES) throw new Error('encrypted value is truncated');
    const decipher = createDecipheriv('aes-256-gcm', this.#key, raw.subarray(0, IV_BYTES));
    decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
  }
}

/** The additional authenticated data of an entry: which map and which key it belongs to. */
export function entryContext(mapId: string, key: string): string {
  return `${mapId}\u0000${key}`;
}
