// Key value maps (Apigee KVMs): named maps of string entries, organisation-wide or scoped to one API, optionally
// encrypted at rest. Entries are read and written one by one; values of encrypted maps never come back out.
import { Type, type Static } from '@sinclair/typebox';
import { Description, Name, PageQuery, Timestamp } from './common.ts';

/** Limits of SAP API Management, in UTF-8 bytes. */
export const KVM_KEY_MAX_BYTES = 2048;
export const KVM_VALUE_MAX_BYTES = 10240;
/** An API name (the pattern of Name) with its own description. */
function ApiName(description: string) {
  return Type.String({ pattern: Name.pattern, description, examples: ['weather'] });
}

/** What GET shows instead of a value of an encrypted map (as Apigee does). */
export const MASKED_VALUE = '***';

export const KeyValueMapSpec = Type.Object(
  {
    name: Name,
    api: Type.Optional(ApiName("Scope the map to this API (Apigee's `apiproxy` scope); absent: organisation-wide (Apigee's `environment` scope). Names are unique per scope.")),
    encrypted: Type.Optional(
      Type.Boolean({ description: 'Encrypt values at rest (AES-256-GCM); they are then write-only through the API and readable by steps only into `private.` variables. Fixed at creation (default false).' }),
    ),
    description: Type.Optional(Description),
  },
  { title: 'key value map', additionalProperties: false, description: 'A key value map (Apigee KVM).' },
);
export type KeyValueMapSpec = Static<typeof KeyValueMapSpec>;

export const KeyValueMapView = Type.Object(
  {
    ...KeyValueMapSpec.properties,
    encrypted: Type.Boolean({ description: 'Whether values are encrypted at rest (and masked on reads).' }),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  },
  { additionalProperties: false },
);
export type KeyValueMapView = Static<typeof KeyValueMapView>;

/** Which map a path names: `?api=` selects an API's map, else the organisation-wide one. */
export const KeyValueMapScopeQuery = Type.Object(
  { api: Type.Optional(ApiName('The API whose map is meant; absent: the organisation-wide map.')) },
  { additionalProperties: false },
);
export type KeyValueMapScopeQuery = Static<typeof KeyValueMapScopeQuery>;

export const KeyValueMapListQuery = Type.Object(
  { ...PageQuery.properties, api: Type.Optional(ApiName("Only this API's maps; absent: every map, organisation-wide ones first.")) },
  { additionalProperties: false },
);
export type KeyValueMapListQuery = Static<typeof KeyValueMapListQuery>;

export const KeyValueEntryPut = Type.Object(
  { value: Type.String({ description: 'The value: text of at most 10240 bytes (UTF-8).' }) },
  { title: 'key value entry', additionalProperties: false, description: 'The value to store under the key in the path.' },
);
export type KeyValueEntryPut = Static<typeof KeyValueEntryPut>;

export const KeyValueEntryView = Type.Object(
  {
    key: Type.String({ description: 'The key: 1 to 2048 bytes (UTF-8).' }),
    value: Type.String({ description: 'The value; `***` for an encrypted map, whose values are write-only.' }),
    updatedAt: Timestamp,
  },
  { additionalProperties: false },
);
export type KeyValueEntryView = Static<typeof KeyValueEntryView>;
