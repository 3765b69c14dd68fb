// An API product: a bundle of APIs (optionally narrowed to paths and methods) that apps subscribe to.
import { Type, type Static } from '@sinclair/typebox';
import { Attributes, Description, DisplayName, Name, Timestamp } from './common.ts';

export const HttpMethod = Type.Union(
  ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'].map((m) => Type.Literal(m)),
  { description: 'An HTTP method.' },
);

export const ProductResource = Type.Object(
  {
    path: Type.String({
      pattern: '^/[^\\s?#]*$',
      maxLength: 500,
      description: 'Pattern on the path after the base path: `/` = all, `/**` = all below, `/*` = one level, else exact.',
    }),
    methods: Type.Optional(Type.Array(HttpMethod, { uniqueItems: true, description: 'Allowed methods; absent = all.' })),
  },
  { title: 'product resource', additionalProperties: false },
);

export const ProductApi = Type.Union(
  [
    Name,
    Type.Object(
      {
        name: Name,
        resources: Type.Optional(Type.Array(ProductResource, { maxItems: 100, description: 'Narrow the API to these paths; absent = the whole API.' })),
      },
      { additionalProperties: false },
    ),
  ],
  { description: 'An API name, or an API narrowed to resource paths and methods.' },
);
export type ProductApi = Static<typeof ProductApi>;

export const TimeUnit = Type.Union(
  ['minute', 'hour', 'day', 'week', 'month'].map((u) => Type.Literal(u)),
  { description: 'Unit of the quota interval.' },
);

export const ProductSpec = Type.Object(
  {
    name: Name,
    displayName: Type.Optional(DisplayName),
    description: Type.Optional(Description),
    apis: Type.Array(ProductApi, { maxItems: 200, description: 'The APIs this product grants access to. Empty: none.' }),
    scopes: Type.Optional(Type.Array(Type.String({ pattern: '^[\\x21\\x23-\\x5B\\x5D-\\x7E]{1,200}$' }), { uniqueItems: true, maxItems: 100, description: 'OAuth scopes tokens for this product may carry.' })),
    quota: Type.Optional(
      Type.Object(
        {
          limit: Type.Integer({ minimum: 1, description: 'Calls allowed per interval.' }),
          interval: Type.Optional(Type.Integer({ minimum: 1, description: 'Number of time units (default 1).' })),
          timeUnit: TimeUnit,
        },
        { additionalProperties: false, description: 'Default quota, used by `quota` steps that read it from the product.' },
      ),
    ),
    approval: Type.Optional(Type.Union([Type.Literal('auto'), Type.Literal('manual')], { description: '`manual`: new subscriptions wait for an admin (default `auto`).' })),
    visibility: Type.Optional(Type.Union([Type.Literal('public'), Type.Literal('private'), Type.Literal('internal')], { description: 'Who sees it in the developer hub (default `public`).' })),
    published: Type.Optional(Type.Boolean({ description: 'Listed in the developer hub catalogue (default false).' })),
    attributes: Type.Optional(Attributes),
  },
  { title: 'product', additionalProperties: false, description: 'An API product.' },
);
export type ProductSpec = Static<typeof ProductSpec>;

export const ProductView = Type.Object(
  { ...ProductSpec.properties, createdAt: Timestamp, updatedAt: Timestamp },
  { additionalProperties: false },
);
export type ProductView = Static<typeof ProductView>;

/** The API names a product lists, whichever form each entry takes. */
export function productApiNames(spec: Pick<ProductSpec, 'apis'>): string[] {
  return spec.apis.map((entry) => (typeof entry === 'string' ? entry : entry.name));
}
