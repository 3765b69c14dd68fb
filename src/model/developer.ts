// A developer: the owner of apps, with or without a login of their own.
import { Type, type Static } from '@sinclair/typebox';
import { Attributes, Email, Timestamp } from './common.ts';

export const DeveloperStatus = Type.Union([Type.Literal('active'), Type.Literal('inactive')], {
  description: 'Inactive developers cannot get tokens, and their tokens and keys stop working.',
});
export type DeveloperStatus = Static<typeof DeveloperStatus>;

export const DeveloperSpec = Type.Object(
  {
    email: Email,
    firstName: Type.String({ minLength: 1, maxLength: 100, description: 'First name.' }),
    lastName: Type.String({ minLength: 1, maxLength: 100, description: 'Last name.' }),
    userName: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'A handle; defaults to the email address.' })),
    attributes: Type.Optional(Attributes),
  },
  { additionalProperties: false, description: 'A developer.' },
);
export type DeveloperSpec = Static<typeof DeveloperSpec>;

export const DeveloperView = Type.Object(
  {
    ...DeveloperSpec.properties,
    id: Type.String({ description: 'Stable id.' }),
    status: DeveloperStatus,
    apps: Type.Array(Type.String(), { description: 'Names of the developer\'s apps.' }),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  },
  { additionalProperties: false },
);
export type DeveloperView = Static<typeof DeveloperView>;
