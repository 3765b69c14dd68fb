// A developer's app and its credentials (client id + secret hash), each with its products and their status.
import { Type, type Static } from '@sinclair/typebox';
import { Attributes, Description, DisplayName, Name, Timestamp } from './common.ts';

export const ClientId = Type.String({
  pattern: '^[A-Za-z0-9._~-]{8,200}$',
  description: 'The OAuth client id (Apigee: consumer key). Letters, digits, `.`, `_`, `~`, `-`; 8 to 200 characters.',
});

export const ClientSecret = Type.String({
  minLength: 1,
  maxLength: 500,
  description: 'The client secret (Apigee: consumer secret); imported secrets need at least 16 characters.',
});

export const ImportedCredential = Type.Object(
  {
    clientId: ClientId,
    clientSecret: ClientSecret,
    expiresAt: Type.Optional(Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}T', description: 'ISO 8601 expiry; absent = never.' })),
  },
  { title: 'imported credential', additionalProperties: false, description: 'An existing client id and secret to bring in.' },
);
export type ImportedCredential = Static<typeof ImportedCredential>;

/** How the app's clients authenticate at the token, revocation and introspection endpoints (OAuth client metadata). */
export const TokenEndpointAuthMethod = Type.Union([Type.Literal('client_secret'), Type.Literal('private_key_jwt'), Type.Literal('none')], {
  description:
    '`client_secret` (default): the client id and secret, by HTTP Basic or in the form body. `private_key_jwt` (RFC 7523): a JWT signed with a key whose public half is in `jwks`. `none`: a public client (a browser or mobile app that cannot keep a secret): it sends only its client id, must use PKCE with the authorization code grant, and cannot use client credentials.',
});
export type TokenEndpointAuthMethod = Static<typeof TokenEndpointAuthMethod>;

/** A public JSON Web Key (RFC 7517): EC P-256, OKP Ed25519 or RSA. Private members are refused. */
export const PublicJwk = Type.Object(
  {
    kty: Type.Union([Type.Literal('EC'), Type.Literal('OKP'), Type.Literal('RSA')], { description: 'Key type: `EC` (P-256), `OKP` (Ed25519) or `RSA` (2048 bits or more).' }),
    kid: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'Key id; the assertion header names it. Required when the set has several keys.' })),
    alg: Type.Optional(Type.String({ maxLength: 20, description: 'Restricts the key to one algorithm (ES256, EdDSA, RS256, PS256).' })),
    use: Type.Optional(Type.Literal('sig', { description: 'Only `sig`: the key signs client assertions.' })),
    crv: Type.Optional(Type.String({ maxLength: 20, description: 'EC and OKP: the curve, `P-256` or `Ed25519`.' })),
    x: Type.Optional(Type.String({ maxLength: 200, description: 'EC and OKP: the public x coordinate (base64url).' })),
    y: Type.Optional(Type.String({ maxLength: 200, description: 'EC: the public y coordinate (base64url).' })),
    n: Type.Optional(Type.String({ maxLength: 1400, description: 'RSA: the modulus (base64url).' })),
    e: Type.Optional(Type.String({ maxLength: 20, description: 'RSA: the public exponent (base64url).' })),
  },
  { additionalProperties: false, description: 'A public key as a JWK. `d` and other private members are not accepted: register only the public half.' },
);
export type PublicJwk = Static<typeof PublicJwk>;

export const AppSpec = Type.Object(
  {
    name: Name,
    displayName: Type.Optional(DisplayName),
    description: Type.Optional(Description),
    callbackUrls: Type.Optional(
      Type.Array(Type.String({ pattern: '^[A-Za-z][A-Za-z0-9+.-]*:[^\\s]+$', maxLength: 2000 }), {
        maxItems: 20,
        uniqueItems: true,
        description: 'Redirect URIs for the authorization code grant; matched exactly.',
      }),
    ),
    products: Type.Optional(Type.Array(Name, { uniqueItems: true, maxItems: 100, description: 'Products every credential of the app carries.' })),
    allowPasswordGrant: Type.Optional(Type.Boolean({ description: 'Opt in to the legacy `password` grant (default false).' })),
    tokenEndpointAuthMethod: Type.Optional(TokenEndpointAuthMethod),
    jwks: Type.Optional(
      Type.Object(
        { keys: Type.Array(PublicJwk, { minItems: 1, maxItems: 10, description: 'One to ten public keys.' }) },
        { additionalProperties: false, description: 'The public keys of a `private_key_jwt` client (a JWK Set, RFC 7517 §5).' },
      ),
    ),
    attributes: Type.Optional(Attributes),
  },
  { additionalProperties: false, description: 'A developer app.' },
);
export type AppSpec = Static<typeof AppSpec>;

/** Body of `POST /developers/{email}/apps`: the spec, plus credentials to import instead of a generated one. */
export const AppCreate = Type.Object(
  {
    ...AppSpec.properties,
    credentials: Type.Optional(Type.Array(ImportedCredential, { minItems: 1, maxItems: 10, description: 'Import these instead of generating one.' })),
  },
  { additionalProperties: false },
);
export type AppCreate = Static<typeof AppCreate>;

export const AppStatus = Type.Union([Type.Literal('approved'), Type.Literal('revoked')]);
export type AppStatus = Static<typeof AppStatus>;
export const CredentialStatus = Type.Union([Type.Literal('approved'), Type.Literal('revoked')]);
export type CredentialStatus = Static<typeof CredentialStatus>;
export const SubscriptionStatus = Type.Union([Type.Literal('approved'), Type.Literal('pending'), Type.Literal('revoked')], {
  description: '`pending` while a manual-approval product awaits an admin.',
});
export type SubscriptionStatus = Static<typeof SubscriptionStatus>;

export const CredentialView = Type.Object(
  {
    clientId: Type.String(),
    clientSecret: Type.Optional(Type.String({ description: 'Only in the response that created or regenerated the secret.' })),
    status: CredentialStatus,
    issuedAt: Timestamp,
    expiresAt: Type.Union([Timestamp, Type.Null()]),
    products: Type.Array(Type.Object({ name: Name, status: SubscriptionStatus }, { additionalProperties: false })),
  },
  { additionalProperties: false },
);
export type CredentialView = Static<typeof CredentialView>;

export const AppView = Type.Object(
  {
    ...AppSpec.properties,
    id: Type.String(),
    developer: Type.String({ description: "The developer's email address." }),
    status: AppStatus,
    credentials: Type.Array(CredentialView),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  },
  { additionalProperties: false },
);
export type AppView = Static<typeof AppView>;

export const CredentialCreate = Type.Object(
  {
    clientId: Type.Optional(ClientId),
    clientSecret: Type.Optional(ClientSecret),
    expiresAt: Type.Optional(Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}T', description: 'ISO 8601 expiry; absent = never.' })),
  },
  { additionalProperties: false, description: 'Empty to generate a pair; `clientId` and `clientSecret` to import one.' },
);
export type CredentialCreate = Static<typeof CredentialCreate>;

export const SecretCheck = Type.Object({ clientSecret: ClientSecret }, { additionalProperties: false });
