import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLocalJWKSet, jwtVerify } from 'jose';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore, type SqlStore } from '../store/index.ts';
import { ValueCipher } from '../util/cipher.ts';
import { ManualClock } from '../util/clock.ts';
import { signJwt, verifyJwt } from './jwt.ts';
import { SigningKeys, type RotationPolicy } from './signing-keys.ts';

const HOUR = 60 * 60 * 1000;
const POLICY: RotationPolicy = { intervalMs: 24 * HOUR, prepublishMs: HOUR, overlapMs: 2 * HOUR };
const SECRET = 'signing-keys-test-secret-0123456789abcdef';

let dir: string;
let store: SqlStore;
let clock: ManualClock;

function keysOf(policy = POLICY) {
  return new SigningKeys({ store, cipher: new ValueCipher(SECRET), clock, policy });
}

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'gatehouse-keys-'));
  store = (await openStore({ dataDir: dir })).store;
  clock = new ManualClock(Date.UTC(2026, 5, 1));
});

afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const claims = { iss: 'https://gw.example', sub: 'c1', exp: 1 };

describe('signing keys', () => {
  it('creates the first key on demand; it signs, is published, and verifies without a store read', async () => {
    const keys = keysOf();
    await keys.reload();
    expect(keys.signer('ES256')).toBeUndefined();
    expect(await keys.ensureCurrent('ES256')).toBe(true);
    const signer = keys.signer('ES256');
    expect(signer?.alg).toBe('ES256');

    const token = signJwt(signer!, claims);
    const jwks = keys.jwks();
    expect(jwks.keys).toHaveLength(1);
    expect(jwks.keys[0]).toMatchObject({ kid: signer!.kid, alg: 'ES256', use: 'sig', kty: 'EC', crv: 'P-256' });
    expect(jwks.keys[0]).not.toHaveProperty('d');
    await jwtVerify(token, createLocalJWKSet(jwks), { typ: 'at+jwt', currentDate: new Date(0) });

    await store.close();
    expect(verifyJwt(token, (kid) => keys.keyFor(kid)).ok).toBe(true);
    store = (await openStore({ dataDir: dir })).store;
  });

  it('keeps private keys encrypted at rest', async () => {
    const keys = keysOf();
    await keys.reload();
    await keys.ensureCurrent('EdDSA');
    const [row] = await store.db.selectFrom('signing_keys').selectAll().execute();
    expect(row?.private_key.startsWith('v1:')).toBe(true);
    expect(row?.private_key).not.toContain('PRIVATE KEY');
    const elsewhere = new SigningKeys({ store, cipher: new ValueCipher('another-secret-0123456789abcdefghijkl'), clock, policy: POLICY });
    await expect(elsewhere.reload()).rejects.toThrow();
  });

  it('rotates on schedule: publishes the next key first, switches, and keeps the old one published for the overlap', async () => {
    const keys = keysOf();
    await keys.reload();
    await keys.ensureCurrent('ES256');
    const first = keys.signer('ES256')!;
    const oldToken = signJwt(first, claims);

    clock.advance(POLICY.intervalMs - 1);
    expect(await keys.ensureCurrent('ES256')).toBe(false);
    clock.advance(1);
    expect(await keys.ensureCurrent('ES256')).toBe(true);
    expect(await keys.ensureCurrent('ES256')).toBe(false);
    // Pre-published: in the JWKS, not yet signing.
    expect(keys.jwks().keys.map((k) => k.kid)).toHaveLength(2);
    expect(keys.signer('ES256')!.kid).toBe(first.kid);

    clock.advance(POLICY.prepublishMs);
    const second = keys.signer('ES256')!;
    expect(second.kid).not.toBe(first.kid);
    expect(verifyJwt(oldToken, (kid) => keys.keyFor(kid)).ok).toBe(true);

    clock.advance(POLICY.overlapMs - 1);
    expect(keys.keyFor(first.kid)).toBeDefined();
    clock.advance(1);
    expect(keys.keyFor(first.kid)).toBeUndefined();
    expect(verifyJwt(oldToken, (kid) => keys.keyFor(kid))).toEqual({ ok: false, reason: 'unknown_kid' });
    expect(keys.jwks().keys.map((k) => k.kid)).toEqual([second.kid]);
  });

  it('rotates at once by command; tokens of the old key verify during the overlap; other nodes see it after a reload', async () => {
    const keys = keysOf();
    await keys.reload();
    await keys.ensureCurrent('RS256');
    const old = keys.signer('RS256')!;
    const oldToken = signJwt(old, claims);
    const node2 = keysOf();
    await node2.reload();

    const kid = await keys.rotateNow('RS256');
    expect(keys.signer('RS256')!.kid).toBe(kid);
    expect(verifyJwt(oldToken, (k) => keys.keyFor(k)).ok).toBe(true);

    const newToken = signJwt(keys.signer('RS256')!, claims);
    expect(verifyJwt(newToken, (k) => node2.keyFor(k))).toEqual({ ok: false, reason: 'unknown_kid' });
    await node2.reload();
    expect(verifyJwt(newToken, (k) => node2.keyFor(k)).ok).toBe(true);
  });

  it('keeps one signer per algorithm', async () => {
    const keys = keysOf();
    await keys.reload();
    await keys.ensureCurrent('ES256');
    await keys.ensureCurrent('EdDSA');
    expect(keys.signer('ES256')!.alg).toBe('ES256');
    expect(keys.signer('EdDSA')!.alg).toBe('EdDSA');
    expect(keys.signer('RS256')).toBeUndefined();
    expect(keys.jwks().keys.map((k) => k.alg).sort()).toEqual(['ES256', 'EdDSA']);
  });
});
