// How opaque tokens are made and under which key a token row is stored and found.
//
// A token row is found by the SHA-256 of its token, through a unique index. Hashes are random, so each new row used
// to land on a random page of that index: with tokens written in groups, every commit rewrote one index page per
// token, and the index outgrew SQLite's page cache as the table grew (an insert cost 22 µs with an empty table and
// 44 µs with a million rows; bench/micro, docs/performance.md). Now an opaque token starts with the hex of its row's
// time-ordered id, and its key is that hex followed by the hash: keys of new rows sort after the keys before them, so
// the index grows at one end (9 µs per insert, the same with a million rows). The hash still makes the key: the id
// part is no secret (it tells when the token was issued, as a JWT's iat does), and finding a row still needs the
// whole token. Tokens issued before (43 characters, no id) keep their plain hash as key and keep working.
import { hashSecret, newTimeOrderedId, randomToken } from '../util/secrets.ts';

/** The hex of a UUID: its 32 digits without dashes. */
const idHex = (id: string) => id.replaceAll('-', '');

/** An opaque token made by `newOpaqueToken`: 32 lowercase hex digits, then 43 base64url characters (32 random bytes). */
const ORDERED_TOKEN = /^[0-9a-f]{32}[A-Za-z0-9_-]{43}$/;

/** The time-ordered row id, and the opaque token made for it (the id's hex, then 32 random bytes). */
export function newOpaqueToken(nowMs: number): { id: string; token: string } {
  const id = newTimeOrderedId(nowMs);
  return { id, token: idHex(id) + randomToken(32) };
}

/** The key an opaque token (access, refresh, authorization code) is stored under. */
export function tokenKey(token: string): string {
  const hash = hashSecret(token);
  return ORDERED_TOKEN.test(token) ? token.slice(0, 32) + hash : hash;
}

/** A jti that is a row id (a UUID, lowercase); JWTs issued before had 22 random base64url characters. */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * The key a JWT access token is stored under, from its jti (the row's time-ordered id; for JWTs issued before, the
 * plain hash). Namespaced: it can never equal an opaque token's key.
 */
export function jwtKey(jti: string): string {
  const hash = hashSecret(`jwt:${jti}`);
  return UUID.test(jti) ? idHex(jti) + hash : hash;
}
