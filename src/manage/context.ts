// What every management operation receives: the store, the clock, the change feed, and who is acting.
import type { ApiSpec } from '../model/api.ts';
import type { Role } from '../model/user.ts';
import type { Repositories, Store } from '../store/index.ts';
import type { ValueCipher } from '../util/cipher.ts';
import type { Clock } from '../util/clock.ts';
import type { ChangeFeed } from './changes.ts';

export interface Actor {
  /** The acting user's email, or `system` for Gatehouse itself. */
  readonly name: string;
  readonly userId: string | null;
  readonly roles: readonly Role[];
}

export const SYSTEM_ACTOR: Actor = { name: 'system', userId: null, roles: ['admin'] };

export interface ManageDeps {
  readonly store: Store;
  readonly clock: Clock;
  readonly changes: ChangeFeed;
  /** Compiles a revision as the gateway would, so a deploy that cannot run fails (with where) instead. */
  readonly checkDeployable?: (spec: ApiSpec, revision: number) => void;
  /** Encrypts values of encrypted key value maps; absent when the server has no secret key (PostgreSQL without one). */
  readonly kvmCipher?: ValueCipher | undefined;
}

/** Appends one audit event inside the caller's transaction, so the log and the change land together. */
export async function audit(
  tx: Repositories,
  deps: ManageDeps,
  actor: Actor,
  action: string,
  resourceType: string,
  resource: string,
  details: Record<string, unknown> = {},
): Promise<void> {
  await tx.audit.append({ at: deps.clock.now(), actor: actor.name, action, resourceType, resource, details });
}

/** ETags are the entity's version in quotes; If-Match takes one or more, or `*`. */
export function etag(version: number): string {
  return `"${version}"`;
}

/** Parses If-Match into the version it requires; undefined when absent or `*` (any version). */
export function parseIfMatch(header: string | undefined): number | null | undefined {
  if (header === undefined) return undefined;
  const value = header.trim();
  if (value === '*') return undefined;
  const match = /^(?:W\/)?"(\d{1,15})"$/.exec(value);
  return match ? Number(match[1]) : null; // null: present but matches no version of ours
}
