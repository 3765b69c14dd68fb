// Users of the console, the management API and the developer hub, their roles, and personal access tokens.
import { Type, type Static } from '@sinclair/typebox';
import { Email, Timestamp } from './common.ts';

export const ROLES = ['admin', 'api-editor', 'viewer', 'developer'] as const;
export type Role = (typeof ROLES)[number];
export const RoleSchema = Type.Union(
  ROLES.map((r) => Type.Literal(r)),
  { description: '`admin`: everything; `api-editor`: APIs and products; `viewer`: read-only; `developer`: the hub, own apps only.' },
);

export const UserStatus = Type.Union([Type.Literal('active'), Type.Literal('inactive')], { description: 'Inactive users cannot sign in and their tokens stop working.' });
export type UserStatus = Static<typeof UserStatus>;

export const Password = Type.String({ minLength: 12, maxLength: 200, description: 'At least 12 characters.' });

export const UserCreate = Type.Object(
  {
    email: Email,
    displayName: Type.Optional(Type.String({ maxLength: 200, description: 'A name for people to read.' })),
    roles: Type.Array(RoleSchema, { uniqueItems: true, description: 'The roles; empty = can sign in but do nothing.' }),
    status: Type.Optional(UserStatus),
    password: Type.Optional(Password),
  },
  { additionalProperties: false },
);
export type UserCreate = Static<typeof UserCreate>;

export const UserUpdate = Type.Object(
  {
    displayName: Type.Optional(Type.String({ maxLength: 200, description: 'A name for people to read.' })),
    roles: Type.Optional(Type.Array(RoleSchema, { uniqueItems: true, description: 'The new roles; replaces the old ones.' })),
    status: Type.Optional(UserStatus),
    password: Type.Optional(Password),
  },
  { additionalProperties: false },
);
export type UserUpdate = Static<typeof UserUpdate>;

export const UserView = Type.Object(
  {
    id: Type.String(),
    email: Email,
    displayName: Type.Union([Type.String(), Type.Null()]),
    roles: Type.Array(RoleSchema),
    status: UserStatus,
    hasPassword: Type.Boolean(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  },
  { additionalProperties: false },
);
export type UserView = Static<typeof UserView>;

export const PersonalTokenCreate = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100, description: 'What the token is for, e.g. `ci`.' }),
    expiresInDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 3650, description: 'Lifetime in days; absent = never expires.' })),
  },
  { additionalProperties: false },
);
export type PersonalTokenCreate = Static<typeof PersonalTokenCreate>;

export const PersonalTokenView = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    createdAt: Timestamp,
    expiresAt: Type.Union([Timestamp, Type.Null()]),
    token: Type.Optional(Type.String({ description: 'The token itself; only in the response that created it.' })),
  },
  { additionalProperties: false },
);
export type PersonalTokenView = Static<typeof PersonalTokenView>;
