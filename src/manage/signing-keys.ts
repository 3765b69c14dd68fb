// JWT signing keys as the management API sees them: the published keys and their state, and rotation by command.
import { GatehouseError } from '../errors.ts';
import { iso } from '../model/common.ts';
import type { SigningKeyAlgorithm, SigningKeyList, SigningKeyRotation, SigningKeyState, SigningKeyView } from '../model/signing-key.ts';
import type { Repositories, SigningKeyRecord } from '../store/index.ts';
import { audit, type Actor, type ManageDeps } from './context.ts';

/** What rotation needs of the node's signing keys (src/oauth/signing-keys.ts), so this node signs with the new key at once. */
export interface KeyRotator {
  rotateNow(algorithm: SigningKeyAlgorithm, tx: Repositories): Promise<{ kid: string; replaced: { kid: string } | null; withdrawn: string[] }>;
  reload(): Promise<void>;
}

const ALGORITHMS: readonly SigningKeyAlgorithm[] = ['ES256', 'EdDSA', 'RS256'];

/** Published keys only (a key past `expiresAt` verifies nothing and is about to be deleted), with their state now. */
function toViews(records: readonly SigningKeyRecord[], now: number): SigningKeyView[] {
  const published = records.filter((r) => (ALGORITHMS as readonly string[]).includes(r.alg) && (r.expiresAt === null || r.expiresAt > now));
  // The signer of an algorithm is its latest activated key not yet retired (as SigningKeys.signer picks it).
  const signers = new Map<string, SigningKeyRecord>();
  for (const r of published) {
    if (r.activatesAt > now || (r.retiresAt !== null && r.retiresAt <= now)) continue;
    const best = signers.get(r.alg);
    if (!best || r.activatesAt > best.activatesAt) signers.set(r.alg, r);
  }
  const stateOf = (r: SigningKeyRecord): SigningKeyState => (r.activatesAt > now ? 'next' : signers.get(r.alg) === r ? 'current' : 'retiring');
  return published.map((r) => ({
    kid: r.kid,
    algorithm: r.alg as SigningKeyAlgorithm,
    state: stateOf(r),
    createdAt: iso(r.createdAt),
    activatesAt: iso(r.activatesAt),
    retiresAt: r.retiresAt === null ? null : iso(r.retiresAt),
    expiresAt: r.expiresAt === null ? null : iso(r.expiresAt),
  }));
}

export async function listSigningKeys(deps: ManageDeps): Promise<SigningKeyList> {
  return { items: toViews(await deps.store.signingKeys.list(), deps.clock.now()) };
}

/**
 * Rotates now, in one transaction with its audit event: for each algorithm asked for (default: every one that has a
 * key, or ES256), a new key signs at once and the old one stays published for the overlap. Other nodes pick the new
 * key up at their next schedule check, or at once when a token names it.
 */
export async function rotateSigningKeys(deps: ManageDeps, actor: Actor, keys: KeyRotator | undefined, algorithm?: SigningKeyAlgorithm): Promise<SigningKeyRotation> {
  if (!keys) {
    throw new GatehouseError('signing-key.unavailable', 'This server has no signing keys: they are kept encrypted under the server secret, and it has none. Set GATEHOUSE_SECRET_KEY (the same on every node) and restart.');
  }
  const rotated = await deps.store.transaction(async (tx) => {
    const now = deps.clock.now();
    const live = (await tx.signingKeys.list()).filter((r) => r.retiresAt === null || r.retiresAt > now);
    const algorithms = algorithm ? [algorithm] : ALGORITHMS.filter((alg) => live.some((r) => r.alg === alg));
    const done: SigningKeyRotation['rotated'] = [];
    for (const alg of algorithms.length > 0 ? algorithms : (['ES256'] as const)) {
      const rotation = await keys.rotateNow(alg, tx);
      done.push({ algorithm: alg, kid: rotation.kid, replaced: rotation.replaced?.kid ?? null, withdrawn: rotation.withdrawn });
      await audit(tx, deps, actor, 'signing-key.rotate', 'signing-key', rotation.kid, { algorithm: alg, replaced: rotation.replaced?.kid ?? null, withdrawn: rotation.withdrawn });
    }
    return done;
  });
  await keys.reload();
  return { rotated, items: toViews(await deps.store.signingKeys.list(), deps.clock.now()) };
}
