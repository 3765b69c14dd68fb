// The json-threat-protection step's configuration schema.
import { Type, type Static } from '@sinclair/typebox';

const Limit = (description: string) =>
  Type.Optional(Type.Integer({ minimum: -1, maximum: 1_000_000_000, description: `${description} Absent or -1: not checked (Apigee's -1).` }));

export const JsonThreatProtectionConfig = Type.Object(
  {
    arrayElementCount: Limit('Most elements one array may have.'),
    containerDepth: Limit('Most containers (objects and arrays) that may nest; a top-level object is depth 1, an array of objects depth 2.'),
    objectEntryCount: Limit('Most entries one object may have.'),
    objectEntryNameLength: Limit('Longest entry name, in characters.'),
    stringValueLength: Limit('Longest string value, in characters.'),
    source: Type.Optional(
      Type.Union([Type.Literal('request'), Type.Literal('response')], {
        description: 'The message to check. Default: the message of the phase the step is in.',
      }),
    ),
  },
  {
    additionalProperties: false,
    description:
      'Refuse JSON bodies whose structure exceeds limits, before anything parses them (Apigee JSONThreatProtection). Checks bodies with a JSON content type (`application/json`, `…+json`) only; others, and empty bodies, pass. Give at least one limit.',
  },
);
export type JsonThreatProtectionConfig = Static<typeof JsonThreatProtectionConfig>;
