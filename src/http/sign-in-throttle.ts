// Slows down password guessing at sign-in: after too many failures for one account, or from one address, within a
// window, sign-in answers 429 until the window has passed. Kept in memory per process (a cluster multiplies the
// allowance by its nodes); the slow password hash already makes each guess cost.
import { GatehouseError } from '../errors.ts';
import type { Clock } from '../util/clock.ts';

export const SIGN_IN_WINDOW_MS = 15 * 60 * 1000;
/** Failed sign-ins allowed per account in a window. */
export const FAILURES_PER_ACCOUNT = 5;
/** Failed sign-ins allowed per client address in a window (several people may share one). */
export const FAILURES_PER_ADDRESS = 20;
const MAX_TRACKED = 50_000;

interface Count {
  failures: number;
  windowStart: number;
}

export class SignInThrottle {
  readonly #clock: Clock;
  readonly #counts = new Map<string, Count>();

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  #count(key: string): Count | undefined {
    const count = this.#counts.get(key);
    if (count && this.#clock.now() - count.windowStart >= SIGN_IN_WINDOW_MS) {
      this.#counts.delete(key);
      return undefined;
    }
    return count;
  }

  /** Throws 429 `auth.too_many_attempts` when the account or the address has used up its failures. */
  check(account: string, address: string): void {
    for (const [key, limit] of [[`account:${account.toLowerCase()}`, FAILURES_PER_ACCOUNT], [`address:${address}`, FAILURES_PER_ADDRESS]] as const) {
      const count = this.#count(key);
      if (count && count.failures >= limit) {
        const retryAfter = Math.max(1, Math.ceil((count.windowStart + SIGN_IN_WINDOW_MS - this.#clock.now()) / 1000));
        throw new GatehouseError('auth.too_many_attempts', `Too many failed sign-ins; try again in ${Math.ceil(retryAfter / 60)} minute(s).`, { details: { retryAfterSeconds: retryAfter } });
      }
    }
  }

  failed(account: string, address: string): void {
    if (this.#counts.size >= MAX_TRACKED) {
      for (const key of [...this.#counts.keys()]) this.#count(key);
      if (this.#counts.size >= MAX_TRACKED) this.#counts.delete(this.#counts.keys().next().value as string);
    }
    for (const key of [`account:${account.toLowerCase()}`, `address:${address}`]) {
      const count = this.#count(key);
      if (count) count.failures++;
      else this.#counts.set(key, { failures: 1, windowStart: this.#clock.now() });
    }
  }

  /** A correct sign-in clears the account's failures (not the address's). */
  succeeded(account: string): void {
    this.#counts.delete(`account:${account.toLowerCase()}`);
  }
}
