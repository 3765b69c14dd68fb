// The resource owners of the password grant: Gatehouse users, checked against their scrypt password hashes.
import type { ResourceOwner } from '../policies/policy.ts';
import type { UserRepository } from '../store/index.ts';
import { passwordMatches } from '../util/secrets.ts';

/** What the token service needs to know about users: no roles, no hashes, nothing else leaves. */
export interface ResourceOwners {
  /** The active user with this email and password, or undefined: one answer for every failure. */
  authenticate(username: string, password: string): Promise<ResourceOwner | undefined>;
  isActive(email: string): Promise<boolean>;
}

export class StoreResourceOwners implements ResourceOwners {
  readonly #users: UserRepository;

  constructor(users: UserRepository) {
    this.#users = users;
  }

  async authenticate(username: string, password: string): Promise<ResourceOwner | undefined> {
    const user = username === '' ? undefined : await this.#users.getByEmail(username);
    const usable = user !== undefined && user.status === 'active' && user.passwordHash !== null ? user : undefined;
    // Unknown, inactive and password-less users cost the same scrypt, so timing does not tell them apart.
    const matches = await passwordMatches(password, usable?.passwordHash);
    return usable && matches ? { userId: usable.id, email: usable.email } : undefined;
  }

  async isActive(email: string): Promise<boolean> {
    const user = await this.#users.getByEmail(email);
    return user?.status === 'active';
  }
}
