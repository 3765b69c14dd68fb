// The extract-variables step's configuration schema.
import { Type, type Static } from '@sinclair/typebox';

const Patterns = Type.Union([Type.String({ minLength: 1, maxLength: 2000 }), Type.Array(Type.String({ minLength: 1, maxLength: 2000 }), { minItems: 1, maxItems: 20 })], {
  description: 'A pattern with `{name}` captures (`Bearer {token}`, `{city}` for the whole value), or several: the first that matches is used.',
});

const Named = (title: string, description: string) =>
  Type.Array(
    Type.Object(
      {
        name: Type.String({ minLength: 1, maxLength: 200, description: `The ${title} to read.` }),
        pattern: Patterns,
      },
      { title, additionalProperties: false },
    ),
    { maxItems: 100, description },
  );

export const ExtractVariablesConfig = Type.Object(
  {
    source: Type.Optional(
      Type.Union([Type.Literal('request'), Type.Literal('response')], {
        description: 'The message to read. Default: the message of the phase the step is in (the response in the response flow and in fault rules). `uriPath`, `queryParams` and `formParams` read the request only.',
      }),
    ),
    variablePrefix: Type.Optional(
      Type.String({ pattern: '^[A-Za-z_][A-Za-z0-9_.-]*$', maxLength: 200, description: 'Variables are set as `<variablePrefix>.<name>`; absent: as `<name>`.' }),
    ),
    uriPath: Type.Optional(
      Type.Array(Type.String({ minLength: 1, maxLength: 2000 }), {
        minItems: 1,
        maxItems: 20,
        description:
          'Patterns matched against the path after the base path (`proxy.pathsuffix`), e.g. `/forecast/{city}`; the first that matches is used. A capture is one segment (percent-decoded), `*` matches one segment and `**` any number; a trailing slash is optional.',
      }),
    ),
    queryParams: Type.Optional(Named('query parameter', 'Query parameters of the request to extract from (the first value of each).')),
    headers: Type.Optional(Named('header', 'Headers to extract from (the first value of each), e.g. `{ name: Authorization, pattern: "Bearer {token}" }`.')),
    formParams: Type.Optional(Named('form parameter', 'Parameters of an `application/x-www-form-urlencoded` request body to extract from.')),
    jsonPaths: Type.Optional(
      Type.Array(
        Type.Object(
          {
            variable: Type.String({ pattern: '^[A-Za-z_][A-Za-z0-9_.-]*$', maxLength: 200, description: 'The variable to set (after `variablePrefix`).' }),
            path: Type.String({
              minLength: 1,
              maxLength: 2000,
              description:
                "A JSONPath into the JSON body: `$.a.b`, `$.a[0].b`, `$['a b']`, `$.a[*].b`, `$.a.*`. A string, number or boolean is set as it is; an object or array as JSON text; with a wildcard, the matches as a JSON array text (`[\"a\",\"b\"]`, as Apigee). JSON null counts as not found.",
            }),
          },
          { title: 'JSON path', additionalProperties: false },
        ),
        { maxItems: 100, description: 'Values to extract from the JSON body (Apigee `<JSONPayload>`).' },
      ),
    ),
    ignoreCase: Type.Boolean({ default: false, description: 'Match the literal text of patterns (`Bearer `, `/forecast/`) ignoring case (Apigee `ignoreCase`). Default false.' }),
    ignoreUnresolvedVariables: Type.Boolean({
      default: true,
      description:
        'When true (the default), a pattern that does not match or a value that is absent leaves its variables unset and the flow goes on, as Apigee does. When false, it fails the step with `extract-variables.unresolved_variable`.',
    }),
  },
  {
    additionalProperties: false,
    description: 'Extract values from the path, query, headers, form or JSON body into flow variables (Apigee ExtractVariables). Patterns and paths are compiled at deploy.',
  },
);
export type ExtractVariablesConfig = Static<typeof ExtractVariablesConfig>;
