// Whether a credential may be used right now: the checks Apigee makes at runtime on every key.
import type { KeyRecord } from './policy.ts';

/** Why a key may not be used now, or undefined when it may. Apigee checks each of these at runtime. */
export function keyRefusal(key: KeyRecord, now: number): string | undefined {
  if (key.credentialStatus !== 'approved') return 'the credential is revoked';
  if (key.expiresAt !== null && key.expiresAt <= now) return 'the credential has expired';
  if (key.app.status !== 'approved') return 'the app is revoked';
  if (key.developer.status !== 'active') return 'the developer is inactive';
  return undefined;
}
