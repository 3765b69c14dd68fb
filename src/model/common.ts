// Shared schema pieces: names, emails, attributes, list pages.
import { Type, type Static, type TSchema } from '@sinclair/typebox';

/** Names of APIs, products, apps and steps: safe in URLs, YAML and flow variables. */
export const Name = Type.String({
  pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$',
  description: 'Letters, digits, `.`, `_` and `-`; starts with a letter or digit; at most 100 characters.',
  examples: ['weather'],
});

export const Email = Type.String({
  pattern: '^[^\\s@/]+@[^\\s@/]+$',
  maxLength: 254,
  description: 'An email address.',
  examples: ['dana@example.com'],
});

export const DisplayName = Type.String({ minLength: 1, maxLength: 200, description: 'A name for people to read.' });
export const Description = Type.String({ maxLength: 4000, description: 'Free text shown in the console and the developer hub.' });

export const Attributes = Type.Record(Type.String({ pattern: '^[A-Za-z0-9._-]{1,100}$' }), Type.String({ maxLength: 2000 }), {
  description: 'Custom name/value pairs, readable by policies as flow variables.',
  maxProperties: 18,
});
export type Attributes = Static<typeof Attributes>;

/** An ISO 8601 timestamp in responses. */
export const Timestamp = Type.String({ description: 'ISO 8601 date and time (UTC).', examples: ['2026-01-01T00:00:00.000Z'] });

export function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/** Query string of every list endpoint. */
export const PageQuery = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100, description: 'Items per page (1 to 500).' })),
    cursor: Type.Optional(Type.String({ maxLength: 400, description: 'The `nextCursor` of the previous page.' })),
  },
  { additionalProperties: false },
);
export type PageQuery = Static<typeof PageQuery>;

/** A page of a list: the items and the cursor of the next page (null on the last page). */
export function Page<T extends TSchema>(item: T) {
  return Type.Object(
    {
      items: Type.Array(item),
      nextCursor: Type.Union([Type.String(), Type.Null()], { description: 'Pass as `cursor` to get the next page; null on the last page.' }),
    },
    { additionalProperties: false },
  );
}

export interface PageOf<T> {
  items: T[];
  nextCursor: string | null;
}
