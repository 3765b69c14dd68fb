import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { keyRecord } from '../../test/helpers/flow-context.ts';
import { openStore, type SqlStore } from '../store/index.ts';
import { ValueCipher } from '../util/cipher.ts';
import { ManualClock } from '../util/clock.ts';
import { hashSecret } from '../util/secrets.ts';
import { RevocationFeed, REVOCATION_LOOKBACK_MS, type RevokedAccess } from './revocation-feed.ts';
import { SigningKeys } from './signing-keys.ts';
import { OpaqueTokens } from './tokens.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const cipher = new ValueCipher('revocation-feed-test-secret-0123456789abcdef');
const issuer = () => 'https://gw.example';
const jwt = { kind: 'jwt', alg: 'ES256' } as const;
const key = keyRecord();

let store: SqlStore;
const clock = new ManualClock(Date.UTC(2026, 0, 1));

beforeAll(async () => {
  ({ store } = await openStore({ sqliteFile: ':memory:' }));
});
afterAll(async () => {
  await store?.close();
});

/** One node: its own keys in memory, its own token service and revocation sets, the shared store. */
async function node() {
  const keys = new SigningKeys({ store, cipher, clock });
  await keys.reload();
  const tokens = new OpaqueTokens(store, clock, 100, undefined, { keys, issuer });
  await tokens.loadRevocations();
  const feed = new RevocationFeed({ store, tokens, clock, intervalMs: 2_000 });
  return { keys, tokens, feed };
}

describe('the revocation feed', () => {
  it('brings a JWT revoked on one node to another at its next poll, without a restart', async () => {
    const a = await node();
    const issued = await a.tokens.issueAccessToken({ key, products: ['product'], scope: '', grantType: 'client_credentials', expiresInMs: HOUR, format: jwt });
    const b = await node();
    expect((await b.tokens.lookupAccessToken(issued.token))?.revoked).toBe(false);

    expect(await a.tokens.revokeAccessToken(issued.token)).toBe(true);
    // B verifies JWTs without the store, so until it polls it cannot know.
    expect((await b.tokens.lookupAccessToken(issued.token))?.revoked).toBe(false);
    clock.advance(2_000);
    expect(await b.feed.poll()).toBe(1);
    expect((await b.tokens.lookupAccessToken(issued.token))?.revoked).toBe(true);
  });

  it('brings a revoked grant chain (a reused refresh token) to the other node: the JWTs of the family are refused there', async () => {
    const a = await node();
    const pair = await a.tokens.issueTokenPair({ key, products: ['product'], scope: '', grantType: 'password', endUser: 'ann@example.com', expiresInMs: HOUR, refreshExpiresInMs: DAY, format: jwt });
    const b = await node();
    const next = { products: ['product'], scope: '', expiresInMs: HOUR, refreshExpiresInMs: DAY, format: jwt };
    const second = await a.tokens.rotateRefreshToken(pair.refreshToken.token, next);
    expect(await a.tokens.rotateRefreshToken(pair.refreshToken.token, next)).toBeUndefined(); // reuse: the family is revoked

    expect((await b.tokens.lookupAccessToken(second!.accessToken.token))?.revoked).toBe(false);
    await b.feed.poll();
    expect((await b.tokens.lookupAccessToken(second!.accessToken.token))?.revoked).toBe(true);
    expect((await b.tokens.lookupAccessToken(pair.accessToken.token))?.revoked).toBe(true);
  });

  it('drops opaque tokens another node revoked from the cache, so the next lookup reads the revocation', async () => {
    const a = await node();
    const b = await node();
    const issued = await a.tokens.issueAccessToken({ key, products: ['product'], scope: '', grantType: 'client_credentials', expiresInMs: HOUR });
    expect((await b.tokens.lookupAccessToken(issued.token))?.revoked).toBe(false); // now in B's cache
    await a.tokens.revokeAccessToken(issued.token);
    expect((await b.tokens.lookupAccessToken(issued.token))?.revoked).toBe(false);
    await b.feed.poll();
    expect((await b.tokens.lookupAccessToken(issued.token))?.revoked).toBe(true);
  });

  it('reads from shortly before its previous poll on, so it finds a revocation stamped earlier but stored late', async () => {
    const learned: RevokedAccess[] = [];
    const feed = new RevocationFeed({ store, tokens: { learnRevocations: (records) => learned.push(...records) }, clock, intervalMs: 2_000 });
    clock.advance(60_000);
    const polledAt = clock.now();
    await feed.poll();
    clock.advance(2_000);

    // Stamped before the previous poll began (a write that waited on a lock, or a node whose clock is behind).
    const late = { id: 'late', tokenHash: hashSecret('late'), revokedAt: polledAt - REVOCATION_LOOKBACK_MS + 1 };
    const ancient = { id: 'ancient', tokenHash: hashSecret('ancient'), revokedAt: polledAt - REVOCATION_LOOKBACK_MS - 1 };
    for (const token of [late, ancient]) {
      await store.oauthTokens.insert({ ...token, kind: 'access', clientId: key.clientId, appId: key.app.id, developerId: key.developer.id, products: [], scope: '', grantType: 'client_credentials', endUser: null, issuedAt: token.revokedAt - 1, expiresAt: clock.now() + HOUR, familyId: null, attributes: {} });
    }
    learned.length = 0;
    await feed.poll();
    expect(learned.map((r) => r.tokenHash)).toContain(late.tokenHash);
    expect(learned.map((r) => r.tokenHash)).not.toContain(ancient.tokenHash);
  });
});

describe('the revocation feed on its timer', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  /** A store that records the windows it was asked for, and fails when told to. */
  function fakeStore() {
    const calls: Array<{ since: number; now: number }> = [];
    let failing = false;
    return {
      calls,
      fail(on: boolean) {
        failing = on;
      },
      oauthTokens: {
        async listRevokedAccessSince(since: number, now: number) {
          calls.push({ since, now });
          if (failing) throw new Error('the store is down');
          return [{ tokenHash: 'h', expiresAt: null, revokedAt: now }];
        },
      },
    };
  }

  it('polls every interval with a timer that does not hold the process open, and stops on close', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const fake = fakeStore();
    const learnRevocations = vi.fn();
    const feed = new RevocationFeed({ store: fake, tokens: { learnRevocations }, clock, intervalMs: 2_000, lookbackMs: 1_000 });
    const scheduled = vi.spyOn(globalThis, 'setInterval');
    feed.start();
    expect((scheduled.mock.results[0]?.value as NodeJS.Timeout).hasRef()).toBe(false);

    await vi.advanceTimersByTimeAsync(1_999);
    expect(fake.calls).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(fake.calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(4_000);
    expect(fake.calls).toHaveLength(3);
    expect(learnRevocations).toHaveBeenCalledTimes(3);

    await feed.close();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(fake.calls).toHaveLength(3);
  });

  it('reports a failed poll and covers the same window on the next one', async () => {
    const fake = fakeStore();
    const errors: unknown[] = [];
    const start = clock.now();
    const feed = new RevocationFeed({ store: fake, tokens: { learnRevocations: () => {} }, clock, intervalMs: 2_000, lookbackMs: 1_000, onError: (error) => errors.push(error) });
    clock.advance(2_000);
    fake.fail(true);
    await expect(feed.poll()).rejects.toThrow('the store is down');
    clock.advance(2_000);
    fake.fail(false);
    await feed.poll();
    expect(fake.calls.map((c) => c.since)).toEqual([start - 1_000, start - 1_000]);
    clock.advance(2_000);
    await feed.poll();
    expect(fake.calls[2]?.since).toBe(start + 4_000 - 1_000);
    expect(errors).toEqual([]); // poll() itself rejects; onError is for the timer's polls
  });

  it('does not poll at all with an interval of 0', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const fake = fakeStore();
    const feed = new RevocationFeed({ store: fake, tokens: { learnRevocations: () => {} }, clock, intervalMs: 0 });
    feed.start();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(fake.calls).toHaveLength(0);
    await feed.close();
  });
});
