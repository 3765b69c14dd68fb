// `gatehouse oauth keys` and `gatehouse oauth rotate-keys`: the JWT signing keys through the management API, as text.
import type { SigningKeyAlgorithm, SigningKeyList, SigningKeyRotation, SigningKeyView } from '../model/signing-key.ts';
import { expectOk, type ManagementClient } from './client.ts';

export const SIGNING_KEYS_PATH = '/oauth/signing-keys';

export function listSigningKeys(client: ManagementClient): Promise<SigningKeyList> {
  return expectOk<SigningKeyList>(client, 'GET', SIGNING_KEYS_PATH);
}

export function rotateSigningKeys(client: ManagementClient, algorithm?: SigningKeyAlgorithm): Promise<SigningKeyRotation> {
  return expectOk<SigningKeyRotation>(client, 'POST', `${SIGNING_KEYS_PATH}/rotation`, algorithm ? { algorithm } : {});
}

/** One line per key, in columns. */
export function formatSigningKeys(items: readonly SigningKeyView[]): string {
  if (items.length === 0) return 'No signing keys yet: the first is made when a JWT is first issued (or by rotate-keys).';
  const rows = [
    ['KID', 'ALGORITHM', 'STATE', 'SIGNS FROM', 'SIGNS UNTIL', 'PUBLISHED UNTIL'],
    ...items.map((k) => [k.kid, k.algorithm, k.state, k.activatesAt, k.retiresAt ?? '-', k.expiresAt ?? '-']),
  ];
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows.map((row) => row.map((cell, column) => cell.padEnd(widths[column]!)).join('  ').trimEnd()).join('\n');
}

/** What a rotation did, in sentences. */
export function formatRotation(result: SigningKeyRotation): string {
  const lines = result.rotated.map((r) => {
    const until = result.items.find((k) => k.kid === r.replaced)?.expiresAt;
    const old = r.replaced ? ` Key ${r.replaced} signs no more; it stays published${until ? ` until ${until}` : ''}, so the tokens it signed still verify.` : '';
    const withdrawn = r.withdrawn.length > 0 ? ` Withdrawn before it signed: ${r.withdrawn.join(', ')}.` : '';
    return `${r.algorithm}: key ${r.kid} signs from now on.${old}${withdrawn}`;
  });
  return lines.join('\n');
}
