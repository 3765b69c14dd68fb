import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type UserRecord } from '../store/index.ts';
import type { SqlStore } from '../store/sql-store.ts';
import { hashPassword } from '../util/secrets.ts';
import { StoreResourceOwners } from './resource-owners.ts';

const PASSWORD = 'correct horse battery staple';
let store: SqlStore;
let owners: StoreResourceOwners;

async function user(email: string, overrides: Partial<UserRecord> = {}): Promise<void> {
  const now = Date.UTC(2026, 0, 1);
  await store.users.insert({ id: `id-${email}`, email, displayName: null, passwordHash: await hashPassword(PASSWORD), roles: ['developer'], status: 'active', version: 1, createdAt: now, updatedAt: now, ...overrides });
}

beforeAll(async () => {
  ({ store } = await openStore({ sqliteFile: ':memory:' }));
  owners = new StoreResourceOwners(store.users);
  await user('alice@example.com');
  await user('inactive@example.com', { status: 'inactive' });
  await user('nopassword@example.com', { passwordHash: null });
});
afterAll(async () => {
  await store?.close();
});

describe('StoreResourceOwners', () => {
  it('answers the active user whose password verifies, with its id and email only', async () => {
    expect(await owners.authenticate('alice@example.com', PASSWORD)).toEqual({ userId: 'id-alice@example.com', email: 'alice@example.com' });
  });

  it('answers undefined for a wrong password, an unknown, inactive or password-less user, and an empty name', async () => {
    expect(await owners.authenticate('alice@example.com', 'wrong horse battery staple')).toBeUndefined();
    expect(await owners.authenticate('nobody@example.com', PASSWORD)).toBeUndefined();
    expect(await owners.authenticate('inactive@example.com', PASSWORD)).toBeUndefined();
    expect(await owners.authenticate('nopassword@example.com', PASSWORD)).toBeUndefined();
    expect(await owners.authenticate('', PASSWORD)).toBeUndefined();
  });

  it('spends a password check on unknown users too, so timing does not tell who exists', async () => {
    await owners.authenticate('warm-up@example.com', PASSWORD); // the decoy hash is made once
    const time = async (email: string) => {
      const started = performance.now();
      await owners.authenticate(email, 'wrong horse battery staple');
      return performance.now() - started;
    };
    const known = await time('alice@example.com');
    const unknown = await time('nobody@example.com');
    // Both run one scrypt (tens of ms); an unchecked unknown user would answer in well under a millisecond.
    expect(unknown).toBeGreaterThan(known / 4);
  });

  it('tells whether a user is active', async () => {
    expect(await owners.isActive('alice@example.com')).toBe(true);
    expect(await owners.isActive('inactive@example.com')).toBe(false);
    expect(await owners.isActive('nobody@example.com')).toBe(false);
  });
});
