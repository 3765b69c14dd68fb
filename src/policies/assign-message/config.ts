// The assign-message step's configuration schema.
import { Type, type SchemaOptions, type Static } from '@sinclair/typebox';

const HeaderValues = (description: string) =>
  Type.Record(Type.String({ minLength: 1, maxLength: 200 }), Type.String({ maxLength: 8192 }), { description });

const QueryValues = (description: string) =>
  Type.Record(Type.String({ minLength: 1, maxLength: 200 }), Type.String({ maxLength: 8192 }), { description });

const Names = (description: string) => Type.Array(Type.String({ minLength: 1, maxLength: 200 }), { maxItems: 100, uniqueItems: true, description });

/** A status code, or a template rendering to one (Apigee allows `<StatusCode>{response.status.code}</StatusCode>`). */
export const StatusCode = (options: SchemaOptions) => Type.Union([Type.Integer({ minimum: 100, maximum: 599 }), Type.String({ minLength: 1, maxLength: 200 })], options);

export const Remove = Type.Object(
  {
    headers: Type.Optional(Names('Header names to remove; `*` removes every header (but the framing headers the gateway owns, `content-length` and `transfer-encoding`).')),
    queryParams: Type.Optional(Names('Request only: query parameter names to remove; `*` removes every one.')),
    payload: Type.Optional(Type.Boolean({ description: 'Removes the body and its `content-type`.' })),
  },
  { title: 'remove', additionalProperties: false, description: 'What to remove from the message (Apigee `<Remove>`).' },
);

export const Add = Type.Object(
  {
    headers: Type.Optional(HeaderValues('Header name -> value (a template); a header that exists keeps its values and gets one more.')),
    queryParams: Type.Optional(QueryValues('Request only: parameter name -> value (a template), added after any values the parameter has.')),
  },
  { title: 'add', additionalProperties: false, description: 'What to add to the message (Apigee `<Add>`).' },
);

export const SetElements = Type.Object(
  {
    headers: Type.Optional(HeaderValues('Header name -> value (a template), replacing any values the header has.')),
    queryParams: Type.Optional(QueryValues('Request only: parameter name -> value (a template), replacing any values the parameter has.')),
    payload: Type.Optional(
      Type.String({ maxLength: 1_048_576, description: 'The body, a template using `variablePrefix`/`variableSuffix`. JSON can be written as is: only well-formed references are substituted.' }),
    ),
    contentType: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'The `content-type` to send with `payload`. Absent: the message keeps its content type.' })),
    statusCode: Type.Optional(
      StatusCode({ description: 'Response only: the status, or a template rendering to one such as `{response.status.code}` (a rendering that is not a status code leaves the status as it is).' }),
    ),
  },
  { title: 'set', additionalProperties: false, description: 'What to set on the message (Apigee `<Set>`).' },
);

export const AssignVariable = Type.Object(
  {
    name: Type.String({ pattern: '^[A-Za-z_][A-Za-z0-9_.-]*$', maxLength: 200, description: 'The flow variable to set.' }),
    value: Type.Optional(Type.String({ maxLength: 65_536, description: 'A literal value; with `ref`, the value used when the referenced variable is not set.' })),
    ref: Type.Optional(Type.String({ pattern: '^[A-Za-z_][A-Za-z0-9_.-]*$', maxLength: 200, description: 'Copy this variable (its type kept). Not set and no `value`: the variable is unset.' })),
    template: Type.Optional(Type.String({ maxLength: 65_536, description: 'A template (`{var}` references) rendered to a string; not with `value` or `ref`.' })),
  },
  { title: 'assign variable', additionalProperties: false, description: 'One flow variable to set (Apigee `<AssignVariable>`).' },
);

export const AssignMessageConfig = Type.Object(
  {
    assignTo: Type.Optional(
      Type.Union([Type.Literal('request'), Type.Literal('response')], {
        description: 'The message to change. Default: the message of the phase the step is in (the response in the response flow and in fault rules, where it is the error being sent). `response` cannot be used in the request flow, where there is no response yet.',
      }),
    ),
    remove: Type.Optional(Remove),
    add: Type.Optional(Add),
    set: Type.Optional(SetElements),
    assignVariables: Type.Optional(Type.Array(AssignVariable, { maxItems: 100, description: 'Flow variables to set, in order.' })),
    ignoreUnresolvedVariables: Type.Boolean({
      default: false,
      description: 'When false (the default, as in Apigee), a template that references a variable that is not set fails the step with `assign-message.unresolved_variable`; when true, it renders as the empty string.',
    }),
    variablePrefix: Type.String({ default: '{', minLength: 1, maxLength: 8, description: "Opens a variable reference in `set.payload` (Apigee Payload's `variablePrefix`), e.g. `@`. Default `{`." }),
    variableSuffix: Type.String({ default: '}', minLength: 1, maxLength: 8, description: "Closes a variable reference in `set.payload` (Apigee Payload's `variableSuffix`), e.g. `#`. Default `}`." }),
  },
  {
    additionalProperties: false,
    description:
      'Change the request or the response, and set flow variables (Apigee AssignMessage). `remove`, `add`, `set` and `assignVariables` run in the order they are written. Header and query values are templates with `{var}` references.',
  },
);
export type AssignMessageConfig = Static<typeof AssignMessageConfig>;
