// The response-cache step's configuration schema.
import { Type, type Static } from '@sinclair/typebox';

export const ResponseCacheConfig = Type.Object(
  {
    cacheKeyPrefix: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'Starts every key (Apigee `<CacheKey><Prefix>`).' })),
    cacheKeyFragments: Type.Array(Type.String({ minLength: 1, maxLength: 2000 }), {
      default: ['{request.verb}', '{request.uri}'],
      minItems: 1,
      maxItems: 20,
      description:
        "Templates whose values, joined with `__`, make the key (Apigee `<KeyFragment>`). Default: the method and the path with its query. The key decides who shares an entry: for responses that differ per caller add e.g. `{client_id}` or `{request.header.authorization}`.",
    }),
    timeoutSeconds: Type.Integer({ default: 300, minimum: 1, maximum: 31_536_000, description: 'How long an entry lives, in seconds (Apigee `<ExpirySettings><TimeoutInSec>`). Default 300.' }),
    excludeErrorResponses: Type.Boolean({ default: true, description: 'Do not store responses with status 400 or more. Default true (Apigee defaults to false). 206 and 304 are never stored.' }),
    cacheableMethods: Type.Array(Type.String({ pattern: '^[A-Z]+$', maxLength: 20 }), {
      default: ['GET', 'HEAD'],
      minItems: 1,
      uniqueItems: true,
      description: 'Methods whose calls are looked up and stored. A HEAD is answered from the entry of the GET with the same key (its own responses have no body, so they are not stored). Default GET, HEAD.',
    }),
    useResponseCacheHeaders: Type.Boolean({
      default: false,
      description: "Let the target's `Cache-Control: s-maxage`/`max-age` or `Expires` shorten an entry's life below `timeoutSeconds` (Apigee `<UseResponseCacheHeaders>`). Default false. `no-store`, `no-cache` and `private` are honoured either way.",
    }),
    useAcceptHeader: Type.Boolean({
      default: false,
      description: 'Add the request\'s `Accept`, `Accept-Encoding`, `Accept-Language` and `Accept-Charset` to the key (Apigee `<UseAcceptHeader>`). Default false. Without it, a target\'s `Vary` still keeps representations apart.',
    }),
    maxEntryBytes: Type.Integer({ default: 1_048_576, minimum: 1, maximum: 10_485_760, description: 'Larger bodies are not stored. Default 1 MiB.' }),
  },
  {
    additionalProperties: false,
    description:
      "Cache whole target responses (Apigee ResponseCache). Place the step twice with the same `name`: in a request flow it looks up (a hit answers from the gateway and skips the target), in the matching response flow it stores. The cache is per API and step name. For Apigee's `SkipCacheLookup` / `SkipCachePopulation`, give the request-flow / response-flow step a `condition` (the negation: the step runs when it holds); skipping the lookup still stores, as in Apigee.",
  },
);
export type ResponseCacheConfig = Static<typeof ResponseCacheConfig>;
