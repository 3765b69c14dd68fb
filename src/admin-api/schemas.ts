// Shared pieces of route schemas: path parameters, common responses.
import { Type } from '@sinclair/typebox';
import { Email, Name } from '../model/common.ts';
import { ClientId } from '../model/app.ts';
import { Problem } from '../http/problem.ts';

export const NameParams = Type.Object({ name: Name }, { additionalProperties: false });
export const EmailParams = Type.Object({ email: Email }, { additionalProperties: false });
export const AppParams = Type.Object({ email: Email, name: Name }, { additionalProperties: false });
export const CredentialParams = Type.Object({ email: Email, name: Name, clientId: ClientId }, { additionalProperties: false });
export const CredentialProductParams = Type.Object({ email: Email, name: Name, clientId: ClientId, product: Name }, { additionalProperties: false });
export const RevisionParams = Type.Object({ name: Name, rev: Type.Integer({ minimum: 1 }) }, { additionalProperties: false });

/** Error responses every route may give, for the OpenAPI document. */
export const errorResponses = { '4xx': Problem, '5xx': Problem };

export const IfMatchHeaders = Type.Object({
  'if-match': Type.Optional(Type.String({ description: 'The ETag you read; the write fails with 412 if someone changed the resource since.' })),
});

export const NoContent = Type.Null({ description: 'No content.' });
