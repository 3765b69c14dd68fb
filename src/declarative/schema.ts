// The declarative file (gatehouse.yaml): the same model as the management API, grouped for people to write.
import { Type, type Static } from '@sinclair/typebox';
import { ApiSpec } from '../model/api.ts';
import { AppSpec, ImportedCredential } from '../model/app.ts';
import { DeveloperSpec } from '../model/developer.ts';
import { KeyValueMapSpec } from '../model/key-value-map.ts';
import { ProductSpec } from '../model/product.ts';

export const AppEntry = Type.Object(
  {
    ...AppSpec.properties,
    credentials: Type.Optional(Type.Array(ImportedCredential, { maxItems: 10, description: 'Existing client ids and secrets to bring in; without them the app gets a generated pair on creation.' })),
  },
  { title: 'app', additionalProperties: false, description: 'A developer app, with credentials to import.' },
);
export type AppEntry = Static<typeof AppEntry>;

export const DeveloperEntry = Type.Object(
  {
    ...DeveloperSpec.properties,
    apps: Type.Optional(Type.Array(AppEntry, { description: "The developer's apps." })),
  },
  { title: 'developer', additionalProperties: false, description: 'A developer and their apps.' },
);
export type DeveloperEntry = Static<typeof DeveloperEntry>;

export const KeyValueMapEntry = Type.Object(
  {
    ...KeyValueMapSpec.properties,
    entries: Type.Optional(
      Type.Record(Type.String({ minLength: 1, maxLength: 2048 }), Type.String({ maxLength: 10240 }), {
        description:
          'Entries to set, key to value. Entries the map has but the file does not list are kept. For an encrypted map, write `${VAR}` rather than the secret itself; its values cannot be read back, so `apply` writes every listed value each time.',
      }),
    ),
  },
  { title: 'key value map entry', additionalProperties: false, description: 'A key value map and the entries it must hold.' },
);
export type KeyValueMapEntry = Static<typeof KeyValueMapEntry>;

export const DesiredState = Type.Object(
  {
    server: Type.Optional(Type.Record(Type.String(), Type.Unknown(), { description: 'Process settings for `gatehouse start -c`; see the configuration reference.' })),
    apis: Type.Optional(Type.Array(ApiSpec, { description: 'APIs; each is saved as a new revision when it changed, and deployed.' })),
    keyValueMaps: Type.Optional(Type.Array(KeyValueMapEntry, { description: 'Key value maps, organisation-wide or scoped to an API, with their entries.' })),
    products: Type.Optional(Type.Array(ProductSpec, { description: 'API products; created or replaced to match.' })),
    developers: Type.Optional(Type.Array(DeveloperEntry, { description: 'Developers, each with their apps.' })),
  },
  { additionalProperties: false, description: 'A Gatehouse declarative file.' },
);
export type DesiredState = Static<typeof DesiredState>;
