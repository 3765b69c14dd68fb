// Audit events: who changed what, when. Never secrets.
import { Type, type Static } from '@sinclair/typebox';
import { Timestamp } from './common.ts';

export const AuditEventView = Type.Object(
  {
    id: Type.Integer(),
    at: Timestamp,
    actor: Type.String({ description: 'Email of the user, or `system`.' }),
    action: Type.String({ description: 'What happened, e.g. `api.deploy`, `credential.regenerate`.' }),
    resourceType: Type.String(),
    resource: Type.String({ description: 'The resource, e.g. `weather` or `dana@example.com/weather-app`.' }),
    details: Type.Record(Type.String(), Type.Unknown()),
  },
  { additionalProperties: false },
);
export type AuditEventView = Static<typeof AuditEventView>;

export const AuditQuery = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100, description: 'Events per page (1 to 500).' })),
    cursor: Type.Optional(Type.String({ maxLength: 100, description: 'The `nextCursor` of the previous page.' })),
    actor: Type.Optional(Type.String({ maxLength: 254, description: 'Only events by this actor.' })),
    resourceType: Type.Optional(Type.String({ maxLength: 50, description: 'Only events on this type, e.g. `api`.' })),
    resource: Type.Optional(Type.String({ maxLength: 400, description: 'Only events on this resource.' })),
    action: Type.Optional(Type.String({ maxLength: 100, description: 'Only events of this action, e.g. `api.deploy`.' })),
    since: Type.Optional(Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}', description: 'ISO date or time; events at or after it.' })),
    until: Type.Optional(Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}', description: 'ISO date or time; events before it.' })),
  },
  { additionalProperties: false },
);
export type AuditQuery = Static<typeof AuditQuery>;
