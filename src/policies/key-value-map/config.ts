// The key-value-map step's configuration schema (Apigee KeyValueMapOperations).
import { Type, type Static } from '@sinclair/typebox';

const KeyTemplate = Type.String({
  minLength: 1,
  maxLength: 2048,
  description: 'The key: text, or a template such as `{request.queryparam.id}` or `user-{client_id}` (Apigee `<Key><Parameter ref>`). When a variable it references is not set, the operation is skipped.',
});

export const KeyValueMapConfig = Type.Object(
  {
    mapName: Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$', description: 'The map (Apigee `mapIdentifier`).' }),
    scope: Type.Union([Type.Literal('environment'), Type.Literal('apiproxy')], {
      default: 'environment',
      description: "`environment` (default): the organisation-wide map of this name; `apiproxy`: the map of this name scoped to the step's own API (Apigee `<Scope>`).",
    }),
    get: Type.Optional(
      Type.Array(
        Type.Object(
          {
            key: KeyTemplate,
            assignTo: Type.String({
              pattern: '^[A-Za-z_][A-Za-z0-9_.-]*$',
              maxLength: 200,
              description: 'Flow variable that receives the value (Apigee `assignTo`); left unset when the key or the map is absent. Values of an encrypted map may only go to variables named `private.…`.',
            }),
          },
          { additionalProperties: false, description: 'Read one entry into a flow variable (Apigee `<Get>`).' },
        ),
        { maxItems: 50, description: 'Entries to read, after any puts.' },
      ),
    ),
    put: Type.Optional(
      Type.Array(
        Type.Object(
          {
            key: KeyTemplate,
            value: Type.String({ maxLength: 10240, description: 'The value: text or a template (Apigee `<Value ref>`). When a variable it references is not set, the put is skipped.' }),
            override: Type.Boolean({ default: false, description: 'Replace an existing value (Apigee `override`); default false: an existing key keeps its value.' }),
          },
          { additionalProperties: false, description: 'Write one entry (Apigee `<Put>`); a missing map is created, unencrypted.' },
        ),
        { maxItems: 50, description: 'Entries to write, first.' },
      ),
    ),
    delete: Type.Optional(
      Type.Array(Type.Object({ key: KeyTemplate }, { additionalProperties: false, description: 'Remove one entry (Apigee `<Delete>`).' }), {
        maxItems: 50,
        description: 'Entries to remove, last.',
      }),
    ),
    initialEntries: Type.Optional(
      Type.Record(Type.String({ minLength: 1, maxLength: 2048 }), Type.String({ maxLength: 10240 }), {
        maxProperties: 1000,
        description:
          'Entries the map starts with (Apigee `<InitialEntries>`): written the first time the step runs after a deploy, and only when the map is missing (it is then created, unencrypted) or has no entries. They never overwrite.',
      }),
    ),
    cacheTtlSeconds: Type.Integer({
      minimum: 0,
      maximum: 86_400,
      default: 300,
      description: 'How long a read may come from the in-memory cache (Apigee `<ExpiryTimeInSecs>`, default 300); 0: always read the store. Changes made through the management API or a step drop the cached map at once.',
    }),
  },
  {
    additionalProperties: false,
    description: 'Read, write and delete entries of a key value map (Apigee KeyValueMapOperations). Operations run in the order put, get, delete.',
  },
);
export type KeyValueMapConfig = Static<typeof KeyValueMapConfig>;
