// The keys that sign JWT access tokens, as the management API shows them (never their private part), and rotation.
import { Type, type Static } from '@sinclair/typebox';
import { Timestamp } from './common.ts';

export const SigningKeyAlgorithm = Type.Union([Type.Literal('ES256'), Type.Literal('EdDSA'), Type.Literal('RS256')], {
  description: 'The JWS algorithm (RFC 7518): `ES256` (P-256), `EdDSA` (Ed25519) or `RS256` (RSA 2048).',
});
export type SigningKeyAlgorithm = Static<typeof SigningKeyAlgorithm>;

export const SigningKeyState = Type.Union([Type.Literal('next'), Type.Literal('current'), Type.Literal('retiring')], {
  description:
    '`next`: published in the JWKS ahead of its turn, so that caches learn it first; `current`: signs new tokens; `retiring`: signs no more, and stays published until `expiresAt` so that the tokens it signed still verify.',
});
export type SigningKeyState = Static<typeof SigningKeyState>;

export const SigningKeyView = Type.Object(
  {
    kid: Type.String({ description: 'The key id: the `kid` in the header of the JWTs it signs and in the JWKS.' }),
    algorithm: SigningKeyAlgorithm,
    state: SigningKeyState,
    createdAt: Type.String({ description: 'When the key was made (ISO 8601, UTC).', examples: ['2026-01-01T00:00:00.000Z'] }),
    activatesAt: Type.String({ description: 'When it signs (or signed) its first token (ISO 8601, UTC).', examples: ['2026-01-01T00:00:00.000Z'] }),
    retiresAt: Type.Union([Timestamp, Type.Null()], { description: 'When it stops (or stopped) signing; null while no successor is planned.' }),
    expiresAt: Type.Union([Timestamp, Type.Null()], { description: 'When it leaves the JWKS, after which the tokens it signed no longer verify; null while it signs.' }),
  },
  { additionalProperties: false },
);
export type SigningKeyView = Static<typeof SigningKeyView>;

export const SigningKeyList = Type.Object(
  { items: Type.Array(SigningKeyView, { description: 'Every published key, oldest first.' }) },
  { additionalProperties: false },
);
export type SigningKeyList = Static<typeof SigningKeyList>;

export const SigningKeyRotationRequest = Type.Object(
  {
    algorithm: Type.Optional(Type.Union(SigningKeyAlgorithm.anyOf, { description: 'Rotate only this algorithm\'s key. Default: every algorithm that has a key (ES256 when there is none yet).' })),
  },
  { additionalProperties: false },
);
export type SigningKeyRotationRequest = Static<typeof SigningKeyRotationRequest>;

export const SigningKeyRotation = Type.Object(
  {
    rotated: Type.Array(
      Type.Object(
        {
          algorithm: SigningKeyAlgorithm,
          kid: Type.String({ description: 'The new key, which signs from now on.' }),
          replaced: Type.Union([Type.String(), Type.Null()], { description: 'The key that signed until now (it stays published for the overlap), or null when there was none.' }),
          withdrawn: Type.Array(Type.String(), { description: 'Successors that were published ahead of their turn and never signed: they leave the JWKS at once.' }),
        },
        { additionalProperties: false },
      ),
      { description: 'One entry per algorithm rotated.' },
    ),
    items: Type.Array(SigningKeyView, { description: 'Every published key after the rotation, oldest first.' }),
  },
  { additionalProperties: false },
);
export type SigningKeyRotation = Static<typeof SigningKeyRotation>;
