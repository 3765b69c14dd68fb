import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLocalJWKSet, jwtVerify } from 'jose';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
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

    const { kid, replaced } = await keys.rotateNow('RS256');
    expect(replaced).toEqual({ kid: old.kid, publishedUntil: clock.now() + POLICY.overlapMs });
    expect(keys.signer('RS256')!.kid).toBe(kid);
    expect(verifyJwt(oldToken, (k) => keys.keyFor(k)).ok).toBe(true);

    const newToken = signJwt(keys.signer('RS256')!, claims);
    expect(verifyJwt(newToken, (k) => node2.keyFor(k))).toEqual({ ok: false, reason: 'unknown_kid' });
    await node2.reload();
    expect(verifyJwt(newToken, (k) => node2.keyFor(k)).ok).toBe(true);
  });

  it('moves a node that still signs with the old key to the new one at its next schedule check', async () => {
    const keys = keysOf();
    await keys.reload();
    await keys.ensureCurrent('ES256');
    const node2 = keysOf();
    await node2.reload();
    const old = node2.signer('ES256')!;

    const { kid } = await keys.rotateNow('ES256');
    expect(node2.signer('ES256')!.kid).toBe(old.kid); // its copy is stale until it reads the store
    expect(await node2.rotateWhenDue()).toEqual([]);
    expect(node2.signer('ES256')!.kid).toBe(kid);
    // And it made no successor of its own: the store holds the old key (retiring) and the new one.
    expect((await store.signingKeys.list()).map((k) => k.kid).sort()).toEqual([old.kid, kid].sort());
  });

  it('withdraws a successor published ahead of its turn when rotating by command; the new key is the only one to sign', async () => {
    const keys = keysOf();
    await keys.reload();
    await keys.ensureCurrent('ES256');
    const first = keys.signer('ES256')!;
    clock.advance(POLICY.intervalMs);
    await keys.ensureCurrent('ES256');
    const pending = keys.jwks().keys.map((k) => k.kid).find((kid) => kid !== first.kid)!;

    const rotation = await keys.rotateNow('ES256');
    expect(rotation).toMatchObject({ algorithm: 'ES256', replaced: { kid: first.kid }, withdrawn: [pending] });
    expect(keys.jwks().keys.map((k) => k.kid)).toEqual([first.kid, rotation.kid]);
    expect(keys.keyFor(pending)).toBeUndefined();
    // When the withdrawn key's time would have come, the rotated key still signs, and nothing new is made early.
    clock.advance(POLICY.prepublishMs);
    expect(keys.signer('ES256')!.kid).toBe(rotation.kid);
    expect(await keys.ensureCurrent('ES256')).toBe(false);
    expect(keys.jwks().keys.map((k) => k.kid)).toEqual([first.kid, rotation.kid]);
  });

  it('rotates within a caller\'s transaction, which can roll it back; the keys held change only on reload', async () => {
    const keys = keysOf();
    await keys.reload();
    await keys.ensureCurrent('EdDSA');
    const first = keys.signer('EdDSA')!;
    await expect(
      store.transaction(async (tx) => {
        await keys.rotateNow('EdDSA', tx);
        throw new Error('the audit write failed');
      }),
    ).rejects.toThrow('the audit write failed');
    await keys.reload();
    expect(keys.signer('EdDSA')!.kid).toBe(first.kid);
    expect(await store.signingKeys.list()).toHaveLength(1);

    const rotation = await store.transaction((tx) => keys.rotateNow('EdDSA', tx));
    expect(keys.signer('EdDSA')!.kid).toBe(first.kid);
    await keys.reload();
    expect(keys.signer('EdDSA')!.kid).toBe(rotation.kid);
  });

  it('retires a stray key left by two nodes making a key at once, with the usual overlap', async () => {
    // Two nodes issue their first JWT at the same moment: each finds no key and makes one; both sign, neither retires.
    const node1 = keysOf();
    const node2 = keysOf();
    await node1.reload();
    await node2.reload();
    await node1.ensureCurrent('ES256');
    clock.advance(1);
    await node2.ensureCurrent('ES256');
    const [stray, winner] = await store.signingKeys.list();
    expect([stray?.retiresAt, winner?.retiresAt]).toEqual([null, null]);
    expect(node2.signer('ES256')!.kid).toBe(winner!.kid);

    expect(await node1.rotateWhenDue()).toEqual(['ES256']);
    expect((await store.signingKeys.list()).find((k) => k.kid === stray!.kid)).toMatchObject({ retiresAt: clock.now(), expiresAt: clock.now() + POLICY.overlapMs });
    expect(node1.signer('ES256')!.kid).toBe(winner!.kid);
    expect(await node1.rotateWhenDue()).toEqual([]);
  });

  it('re-reads the store cheaply: a key it already holds is not decrypted again, a new one is', async () => {
    const cipher = new ValueCipher(SECRET);
    const keys = new SigningKeys({ store, cipher, clock, policy: POLICY });
    await keys.reload();
    await keys.ensureCurrent('ES256');
    const decrypt = vi.spyOn(cipher, 'decrypt');
    await keys.reload();
    expect(decrypt).not.toHaveBeenCalled();
    await keysOf().rotateNow('ES256');
    await keys.reload();
    expect(decrypt).toHaveBeenCalledTimes(1);
  });

  it('keeps the newer view when reloads overlap: a slow read that began first does not undo a later one', async () => {
    const elsewhere = keysOf();
    await elsewhere.reload();
    await elsewhere.ensureCurrent('ES256');
    // The first read of the store answers only when released; it saw the store before the rotation.
    let readBeforeRotation!: () => void;
    const staleRead = new Promise<void>((resolve) => (readBeforeRotation = resolve));
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let calls = 0;
    const slowStore = new Proxy(store, {
      get(target, property) {
        if (property !== 'signingKeys') return Reflect.get(target, property);
        return {
          async list() {
            const records = await target.signingKeys.list();
            if (++calls === 1) {
              readBeforeRotation();
              await gate;
            }
            return records;
          },
        };
      },
    });
    const keys = new SigningKeys({ store: slowStore, cipher: new ValueCipher(SECRET), clock, policy: POLICY });
    const slow = keys.reload();
    await staleRead;
    const { kid } = await elsewhere.rotateNow('ES256');
    await keys.reload();
    expect(keys.signer('ES256')!.kid).toBe(kid);
    release();
    await slow;
    expect(keys.signer('ES256')!.kid).toBe(kid);
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
