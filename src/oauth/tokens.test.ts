import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keyRecord } from '../../test/helpers/flow-context.ts';
import { openStore } from '../store/index.ts';
import type { OAuthTokenRecord, Repositories } from '../store/index.ts';
import type { SqlStore } from '../store/sql-store.ts';
import { ManualClock } from '../util/clock.ts';
import { hashSecret } from '../util/secrets.ts';
import { isPromise } from '../util/maybe-promise.ts';
import { ValueCipher } from '../util/cipher.ts';
import { SigningKeys } from './signing-keys.ts';
import { OpaqueTokens } from './tokens.ts';
import type { TokenInfo } from '../policies/policy.ts';
import { tokenKey } from './token-keys.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
let store: SqlStore;
const clock = new ManualClock(Date.UTC(2026, 0, 1));
const key = keyRecord();

beforeAll(async () => {
  ({ store } = await openStore({ sqliteFile: ':memory:' }));
});
afterAll(async () => {
  await store?.close();
});

const pairInput = { key, products: ['product'], scope: 'read write', grantType: 'password', endUser: 'alice@example.com', expiresInMs: HOUR, refreshExpiresInMs: DAY };

describe('OpaqueTokens: refresh tokens', () => {
  it('issues an access token and a refresh token of one new family, stored hashed', async () => {
    const tokens = new OpaqueTokens(store, clock);
    const pair = await tokens.issueTokenPair(pairInput);
    expect(pair.accessToken.token).toMatch(/^[0-9a-f]{32}[A-Za-z0-9_-]{43}$/);
    expect(pair.refreshToken.token).toMatch(/^[0-9a-f]{32}[A-Za-z0-9_-]{43}$/);
    expect(pair.refreshToken.token).not.toBe(pair.accessToken.token);
    expect(pair.accessToken.expiresAt).toBe(clock.now() + HOUR);
    expect(pair.refreshToken).toMatchObject({ expiresAt: clock.now() + DAY, refreshCount: 0, scope: 'read write' });
    const stored = await store.oauthTokens.getByHash(tokenKey(pair.refreshToken.token));
    expect(stored).toMatchObject({ kind: 'refresh', familyId: pair.refreshToken.familyId, endUser: 'alice@example.com', grantType: 'password' });
    expect((await store.oauthTokens.getByHash(tokenKey(pair.accessToken.token)))?.familyId).toBe(pair.refreshToken.familyId);
  });

  it('hands both rows of a pair to the store at once, so one group commit writes them', async () => {
    const kinds: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const bound = (target: object, name: string | symbol): unknown => {
      const value: unknown = Reflect.get(target, name);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    };
    const real = store.oauthTokens;
    const oauthTokens = new Proxy(real, {
      get: (target, name) =>
        name === 'insert'
          ? async (record: OAuthTokenRecord) => {
              kinds.push(record.kind);
              await gate;
              return real.insert(record);
            }
          : bound(target, name),
    });
    const repositories = new Proxy(store, { get: (target, name) => (name === 'oauthTokens' ? oauthTokens : bound(target, name)) }) as Repositories;
    const issuing = new OpaqueTokens(repositories, clock).issueTokenPair(pairInput);
    expect(kinds).toEqual(['access', 'refresh']);
    release();
    const pair = await issuing;
    expect(await store.oauthTokens.getByHash(tokenKey(pair.accessToken.token))).toMatchObject({ kind: 'access', familyId: pair.refreshToken.familyId });
    expect(await store.oauthTokens.getByHash(tokenKey(pair.refreshToken.token))).toMatchObject({ kind: 'refresh', familyId: pair.refreshToken.familyId });
  });

  it('keeps access and refresh tokens apart: neither works as the other', async () => {
    const tokens = new OpaqueTokens(store, clock);
    const pair = await tokens.issueTokenPair(pairInput);
    expect(await tokens.lookupAccessToken(pair.refreshToken.token)).toBeUndefined();
    expect(await tokens.lookupRefreshToken(pair.accessToken.token)).toBeUndefined();
    expect(await tokens.lookupAccessToken(pair.accessToken.token)).toMatchObject({ endUser: 'alice@example.com', grantType: 'password', revoked: false, attributes: {} });
    expect(await tokens.lookupRefreshToken(pair.refreshToken.token)).toMatchObject({ familyId: pair.refreshToken.familyId, refreshCount: 0, revoked: false, attributes: {} });
  });

  it('never expires a refresh token issued with a null lifetime', async () => {
    const tokens = new OpaqueTokens(store, clock);
    const pair = await tokens.issueTokenPair({ ...pairInput, refreshExpiresInMs: null, expiresInMs: null });
    expect(pair.refreshToken.expiresAt).toBeNull();
    expect(pair.accessToken.expiresAt).toBeNull();
  });

  it('rotates: marks the old refresh token used, keeps its scope on the new one, narrows only the access token', async () => {
    const tokens = new OpaqueTokens(store, clock);
    const first = await tokens.issueTokenPair(pairInput);
    clock.advance(1000);
    const second = await tokens.rotateRefreshToken(first.refreshToken.token, { products: ['product'], scope: 'read', expiresInMs: HOUR, refreshExpiresInMs: DAY });
    expect(second).toBeDefined();
    expect(second?.accessToken.scope).toBe('read');
    expect(second?.refreshToken).toMatchObject({ scope: 'read write', refreshCount: 1, familyId: first.refreshToken.familyId, expiresAt: clock.now() + DAY });
    expect((await tokens.lookupRefreshToken(first.refreshToken.token))?.revoked).toBe(true);
    expect(await tokens.lookupAccessToken(second!.accessToken.token)).toMatchObject({ grantType: 'password', endUser: 'alice@example.com', scope: 'read' });
    const third = await tokens.rotateRefreshToken(second!.refreshToken.token, { products: ['product'], scope: 'read write', expiresInMs: HOUR, refreshExpiresInMs: DAY });
    expect(third?.refreshToken.refreshCount).toBe(2);
  });

  it('revokes the whole family when a used refresh token is rotated again, cached access tokens included', async () => {
    const tokens = new OpaqueTokens(store, clock);
    const first = await tokens.issueTokenPair(pairInput);
    const next = { products: ['product'], scope: 'read write', expiresInMs: HOUR, refreshExpiresInMs: DAY };
    const second = await tokens.rotateRefreshToken(first.refreshToken.token, next);
    expect((await tokens.lookupAccessToken(second!.accessToken.token))?.revoked).toBe(false); // now cached
    expect(await tokens.rotateRefreshToken(first.refreshToken.token, next)).toBeUndefined();
    expect((await tokens.lookupAccessToken(second!.accessToken.token))?.revoked).toBe(true);
    expect((await tokens.lookupAccessToken(first.accessToken.token))?.revoked).toBe(true);
    expect((await tokens.lookupRefreshToken(second!.refreshToken.token))?.revoked).toBe(true);
    expect(await tokens.rotateRefreshToken(second!.refreshToken.token, next)).toBeUndefined();
  });

  it('lets only one of two concurrent refreshes with the same token win, and then revokes the family', async () => {
    const tokens = new OpaqueTokens(store, clock);
    const first = await tokens.issueTokenPair(pairInput);
    const next = { products: ['product'], scope: 'read', expiresInMs: HOUR, refreshExpiresInMs: DAY };
    const results = await Promise.all([tokens.rotateRefreshToken(first.refreshToken.token, next), tokens.rotateRefreshToken(first.refreshToken.token, next)]);
    const winners = results.filter((r) => r !== undefined);
    expect(winners).toHaveLength(1);
    expect((await tokens.lookupAccessToken(winners[0]!.accessToken.token))?.revoked).toBe(true);
  });

  it('leaves other families alone when one is revoked', async () => {
    const tokens = new OpaqueTokens(store, clock);
    const mine = await tokens.issueTokenPair(pairInput);
    const other = await tokens.issueTokenPair(pairInput);
    const plain = await tokens.issueAccessToken({ key, products: ['product'], scope: '', grantType: 'client_credentials', expiresInMs: HOUR });
    expect(await tokens.revokeTokenFamily(mine.refreshToken.familyId)).toBe(2);
    expect((await tokens.lookupAccessToken(mine.accessToken.token))?.revoked).toBe(true);
    expect((await tokens.lookupAccessToken(other.accessToken.token))?.revoked).toBe(false);
    expect((await tokens.lookupAccessToken(plain.token))?.revoked).toBe(false);
    expect((await tokens.lookupRefreshToken(other.refreshToken.token))?.revoked).toBe(false);
  });

  it('answers undefined for an unknown refresh token', async () => {
    const tokens = new OpaqueTokens(store, clock);
    expect(await tokens.lookupRefreshToken('no-such-token')).toBeUndefined();
    expect(await tokens.rotateRefreshToken('no-such-token', { products: [], scope: '', expiresInMs: HOUR, refreshExpiresInMs: DAY })).toBeUndefined();
  });

  it('delegates user checks to the resource owners it was given', async () => {
    const tokens = new OpaqueTokens(store, clock, 10, { authenticate: async (u, p) => (u === 'a@example.com' && p === 'pw' ? { userId: 'u1', email: u } : undefined), isActive: async (e) => e === 'a@example.com' });
    expect(await tokens.authenticateUser('a@example.com', 'pw')).toEqual({ userId: 'u1', email: 'a@example.com' });
    expect(await tokens.authenticateUser('a@example.com', 'nope')).toBeUndefined();
    expect(await tokens.userIsActive('a@example.com')).toBe(true);
  });
});

describe('tokens issued before the time-ordered form', () => {
  it('still finds, verifies and revokes a 43-character token stored under its plain hash', async () => {
    const old = 'b2xkLWZvcm0tdG9rZW4tb2YtNDMtY2hhcmFjdGVycyE';
    await store.oauthTokens.insert({
      id: 'old-row', kind: 'access', tokenHash: hashSecret(old), clientId: key.clientId, appId: key.app.id, developerId: key.developer.id, products: ['product'],
      scope: 'read', grantType: 'client_credentials', endUser: null, issuedAt: clock.now(), expiresAt: clock.now() + HOUR, revokedAt: null, familyId: null, attributes: {},
    });
    const tokens = new OpaqueTokens(store, clock);
    expect(await tokens.lookupAccessToken(old)).toMatchObject({ scope: 'read', revoked: false });
    expect(await tokens.revokeAccessToken(old)).toBe(true);
    expect(await tokens.lookupAccessToken(old)).toMatchObject({ revoked: true });
  });

  it('stores new tokens so that each key sorts after the one issued before it', async () => {
    const tokens = new OpaqueTokens(store, clock);
    const first = await tokens.issueAccessToken({ key, products: ['product'], scope: '', grantType: 'client_credentials', expiresInMs: HOUR });
    clock.advance(1);
    const second = await tokens.issueAccessToken({ key, products: ['product'], scope: '', grantType: 'client_credentials', expiresInMs: HOUR });
    expect(tokenKey(first.token) < tokenKey(second.token)).toBe(true);
    expect(await store.oauthTokens.getByHash(tokenKey(second.token))).toMatchObject({ id: expect.stringMatching(/^[0-9a-f-]{36}$/) });
  });
});

describe('the opaque-token cache', () => {
  it('serves a token from memory after its first lookup, and drops only the ones whose revocation it learns', async () => {
    let reads = 0;
    const real = store.oauthTokens;
    const oauthTokens = new Proxy(real, {
      get: (target, name) => (name === 'getByHash' ? (hash: string) => (reads++, target.getByHash(hash)) : (Reflect.get(target, name) as (...args: unknown[]) => unknown).bind(target)),
    });
    const counting = { oauthTokens } as unknown as Repositories;
    const tokens = new OpaqueTokens(counting, clock);
    const input = { key, products: ['product'], scope: '', grantType: 'client_credentials', expiresInMs: HOUR };
    const [a, b] = [await tokens.issueAccessToken(input), await tokens.issueAccessToken(input)];
    await tokens.lookupAccessToken(a.token);
    await tokens.lookupAccessToken(b.token);
    expect(reads).toBe(2);
    // From memory, answered at once: a value, not a promise, so a warm call goes on in the same turn.
    const warm = tokens.lookupAccessToken(a.token);
    expect(isPromise(warm)).toBe(false);
    expect((warm as TokenInfo | undefined)?.clientId).toBe(key.clientId);
    await tokens.lookupAccessToken(b.token);
    expect(reads).toBe(2); // both from memory
    const stored = await store.oauthTokens.getByHash(tokenKey(a.token));
    await store.oauthTokens.revoke(stored!.id, clock.now());
    tokens.learnRevocations([{ tokenHash: tokenKey(a.token), expiresAt: a.expiresAt }]);
    expect((await tokens.lookupAccessToken(a.token))?.revoked).toBe(true);
    expect((await tokens.lookupAccessToken(b.token))?.revoked).toBe(false);
    expect(reads).toBe(3); // a read again, b still from memory
  });
});

describe('revocation while a lookup is in flight', () => {
  it('does not let the lookup cache the token as live after the revocation is stored', async () => {
    const live: OAuthTokenRecord = {
      id: 't1', kind: 'access', tokenHash: hashSecret('the-token'), clientId: 'c', appId: 'a', developerId: 'd', products: ['p'], scope: '',
      grantType: 'client_credentials', endUser: null, issuedAt: 0, expiresAt: null, revokedAt: null, familyId: null, attributes: {},
    };
    let revokedAt: number | null = null;
    let releaseFirstRead: () => void = () => {};
    let reads = 0;
    const oauthTokens = {
      getByHash: async () => {
        const call = ++reads;
        if (call === 1) await new Promise<void>((resolve) => (releaseFirstRead = resolve));
        return call === 1 ? live : { ...live, revokedAt };
      },
      revoke: async () => {
        revokedAt = 1;
        return true;
      },
    };
    const tokens = new OpaqueTokens({ oauthTokens } as unknown as Repositories, new ManualClock());
    const lookup = tokens.lookupAccessToken('the-token'); // reads the live row, slowly
    expect(await tokens.revokeAccessToken('the-token')).toBe(true);
    releaseFirstRead();
    expect((await lookup)?.revoked).toBe(false); // what it read, before the revocation
    expect((await tokens.lookupAccessToken('the-token'))?.revoked).toBe(true); // not served from a stale cache
    expect(reads).toBe(3);
  });
});

describe('OpaqueTokens: JWT access tokens', () => {
  const cipher = new ValueCipher('tokens-test-secret-0123456789abcdefghij');
  const issuer = () => 'https://gw.example';
  const jwtFormat = { kind: 'jwt', alg: 'ES256' } as const;

  async function jwtTokens(repositories: Repositories = store) {
    const keys = new SigningKeys({ store, cipher, clock });
    await keys.reload();
    return new OpaqueTokens(repositories, clock, 100, undefined, { keys, issuer });
  }

  it('verifies a JWT from its signature and claims, without reading the store', async () => {
    const tokens = await jwtTokens();
    const issued = await tokens.issueAccessToken({ key, products: ['product'], scope: 'read', grantType: 'client_credentials', expiresInMs: HOUR, format: jwtFormat });
    expect(issued.token.split('.')).toHaveLength(3);

    const noReads = { ...store, oauthTokens: new Proxy(store.oauthTokens, { get: () => () => Promise.reject(new Error('the store was read')) }) } as unknown as Repositories;
    // A fresh instance knows the keys only after reading them once (at start), then never touches the token table.
    const keys = new SigningKeys({ store, cipher, clock });
    await keys.reload();
    const verifier = new OpaqueTokens(noReads, clock, 100, undefined, { keys, issuer });
    expect(await verifier.lookupAccessToken(issued.token)).toMatchObject({ clientId: key.clientId, appId: key.app.id, products: ['product'], scope: 'read', grantType: 'client_credentials', revoked: false, expiresAt: Math.floor((clock.now() + HOUR) / 1000) * 1000 });
    expect(verifier.issuesJwt).toBe(true);
  });

  it('refuses a JWT of another issuer', async () => {
    const tokens = await jwtTokens();
    const issued = await tokens.issueAccessToken({ key, products: ['product'], scope: '', grantType: 'client_credentials', expiresInMs: HOUR, format: jwtFormat });
    const keys = new SigningKeys({ store, cipher, clock });
    await keys.reload();
    const elsewhere = new OpaqueTokens(store, clock, 100, undefined, { keys, issuer: () => 'https://other.example' });
    expect(await elsewhere.lookupAccessToken(issued.token)).toBeUndefined();
  });

  it('remembers revocations across a restart: a new instance loads them from the store', async () => {
    const tokens = await jwtTokens();
    const issued = await tokens.issueAccessToken({ key, products: ['product'], scope: '', grantType: 'client_credentials', expiresInMs: HOUR, format: jwtFormat });
    expect(await tokens.revokeAccessToken(issued.token)).toBe(true);
    expect((await tokens.lookupAccessToken(issued.token))?.revoked).toBe(true);

    const restarted = await jwtTokens();
    expect((await restarted.lookupAccessToken(issued.token))?.revoked).toBe(false);
    await restarted.loadRevocations();
    expect((await restarted.lookupAccessToken(issued.token))?.revoked).toBe(true);
  });

  it('remembers a verified JWT by the whole token: a forged payload under a remembered signature is still refused', async () => {
    const tokens = await jwtTokens();
    const issued = await tokens.issueAccessToken({ key, products: ['product'], scope: 'read', grantType: 'client_credentials', expiresInMs: HOUR, format: jwtFormat });
    expect(await tokens.lookupAccessToken(issued.token)).toMatchObject({ scope: 'read' });
    const remembered = tokens.lookupAccessToken(issued.token);
    expect(isPromise(remembered), 'a remembered JWT is answered at once').toBe(false);
    expect(remembered).toMatchObject({ scope: 'read' });
    const [header, payload, signature] = issued.token.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
    const forged = `${header}.${Buffer.from(JSON.stringify({ ...claims, scope: 'read write admin' })).toString('base64url')}.${signature}`;
    expect(await tokens.lookupAccessToken(forged)).toBeUndefined();
    // Revocation still reaches a remembered token.
    expect(await tokens.revokeAccessToken(issued.token)).toBe(true);
    expect((await tokens.lookupAccessToken(issued.token))?.revoked).toBe(true);
  });

  it('forgets a remembered JWT once the key that signed it is no longer published', async () => {
    const start = clock.now();
    const keys = new SigningKeys({ store, cipher, clock, policy: { intervalMs: HOUR, prepublishMs: 0, overlapMs: HOUR } });
    await keys.reload();
    const tokens = new OpaqueTokens(store, clock, 100, undefined, { keys, issuer });
    const issued = await tokens.issueAccessToken({ key, products: ['product'], scope: '', grantType: 'client_credentials', expiresInMs: 10 * DAY, format: jwtFormat });
    expect(await tokens.lookupAccessToken(issued.token)).toBeDefined();
    try {
      // Rotated, then past the overlap: the old key is withdrawn from the key set, and its tokens go with it.
      clock.advance(HOUR);
      await keys.rotateWhenDue();
      clock.advance(2 * HOUR);
      await keys.rotateWhenDue();
      expect(keys.jwks().keys.map((k) => k.kid)).not.toContain(JSON.parse(Buffer.from(issued.token.split('.')[0] as string, 'base64url').toString()).kid);
      expect(await tokens.lookupAccessToken(issued.token)).toBeUndefined();
    } finally {
      clock.set(start);
    }
  });

  it('says it cannot issue JWTs without signing keys', async () => {
    const tokens = new OpaqueTokens(store, clock);
    expect(tokens.issuesJwt).toBe(false);
    await expect(tokens.issueAccessToken({ key, products: [], scope: '', grantType: 'client_credentials', expiresInMs: HOUR, format: jwtFormat })).rejects.toThrow(/signing keys/);
  });
});
