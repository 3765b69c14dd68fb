// Checks every write shares: the resource's identity cannot change, and If-Match must name the current version.
import { GatehouseError } from '../errors.ts';

/** A view and the version its ETag is made from. */
export interface Versioned<T> {
  view: T;
  version: number;
}

/** A PUT may not rename: the body's name (or email) must be the one in the path. */
export function sameIdentity(kind: string, field: 'name' | 'email', inPath: string, inBody: string): void {
  if (inBody === inPath) return;
  const what = field === 'email' ? 'the email address cannot change' : `${/^[aeiou]/i.test(kind) ? 'an' : 'a'} ${kind} cannot be renamed`;
  throw new GatehouseError('request.invalid', `The body names ${kind} '${inBody}' but the path names '${inPath}'; ${what}.`, {
    details: { errors: [{ path: `/${field}`, message: `must be '${inPath}'` }] },
  });
}

export function preconditionFailed(what: string): GatehouseError {
  return new GatehouseError('request.precondition_failed', `${what} was changed by someone else since you read it; read it again and retry.`);
}

/** Throws 412 when If-Match named a version other than the current one (undefined: no If-Match, anything goes). */
export function checkVersion(expected: number | null | undefined, current: number, what: string): void {
  if (expected === undefined) return;
  if (expected !== current) throw preconditionFailed(what);
}
