// The resource owners of the password grant: Gatehouse users, checked against their scrypt password hashes.
import { randomBytes } from 'node:crypto';
import type { ResourceOwner } from '../policies/policy.ts';
import type { UserRepository } from '../store/index.ts';
import { hashPassword, verifyPassword } from '../util/secrets.ts';

/** What the token service needs to know about users: no roles, no hashes, nothing else leaves. */
export interface ResourceOwners {
  /** The active user with this email and password, or undefined: one answer for every failure. */
  authenticate(username: string, password: string): Promise<ResourceOwner | undefined>;
  isActive(email: string): Promise<boolean>;
}

// A hash of a random password, made once: unknown users, inactive users and users without a password are checked
// against it, so every failure costs one scrypt and the time taken does not say which users exist.
let decoy: Promise<string> | undefined;
const decoyHash = () => (decoy ??= hashPassword(randomBytes(18).toString('base64url')));

export class StoreResourceOwners implements ResourceOwners {
  readonly #users: UserRepository;

  constructor(users: UserRepository) {
    this.#users = users;
  }

  async authenticate(username: string, password: string): Promise<ResourceOwner | undefined> {
    const user = username === '' ? undefined : await this.#users.getByEmail(username);
    const usable = user !== undefined && user.status === 'active' && user.passwordHash !== null ? user : undefined;
    const matches = await verifyPassword(password, usable?.passwordHash ?? (await decoyHash()));
    return usable && matches ? { userId: usable.id, email: usable.email } : undefined;
  }

  async isActive(email: string): Promise<boolean> {
    const user = await this.#users.getByEmail(email);
    return user?.status === 'active';
  }
}
