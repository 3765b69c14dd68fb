// The raise-fault step's configuration schema.
import { Type, type Static } from '@sinclair/typebox';
import { StatusCode } from '../assign-message/config.ts';

export const RaiseFaultConfig = Type.Object(
  {
    statusCode: StatusCode({
      default: 500,
      description: 'The status of the fault response, or a template rendering to one such as `{response.status.code}` (a rendering that is not a status code gives 500). Default 500.',
    }),
    message: Type.String({
      default: 'The request was refused.',
      minLength: 1,
      maxLength: 2000,
      description: "Without `payload`: the error's detail (the `faultstring` in Apigee's format), a template. With `payload`, used in logs only. Default: `The request was refused.`",
    }),
    headers: Type.Optional(
      Type.Record(Type.String({ minLength: 1, maxLength: 200 }), Type.String({ maxLength: 8192 }), { description: 'Headers of the fault response: name -> value (a template).' }),
    ),
    payload: Type.Optional(
      Type.String({
        maxLength: 1_048_576,
        description:
          "The body of the fault response instead of the API's rendered error: a JSON object or array, a template using `variablePrefix`/`variableSuffix`. Absent: the API's fault format renders the error with `message`.",
      }),
    ),
    contentType: Type.String({
      default: 'application/json',
      minLength: 1,
      maxLength: 200,
      description: 'The content type of `payload`: a JSON type (`application/json`, `application/problem+json`, `…+json`). Other types need string fault bodies, which the gateway does not carry yet. Default `application/json`.',
    }),
    ignoreUnresolvedVariables: Type.Boolean({
      default: true,
      description:
        'When true (the default), an unset variable renders as the empty string, so a fault response never itself fails (Apigee\'s own examples all set this). When false, it fails with `raise-fault.unresolved_variable` (500).',
    }),
    variablePrefix: Type.String({ default: '{', minLength: 1, maxLength: 8, description: 'Opens a variable reference in `payload`, e.g. `@`. Default `{`.' }),
    variableSuffix: Type.String({ default: '}', minLength: 1, maxLength: 8, description: 'Closes a variable reference in `payload`, e.g. `#`. Default `}`.' }),
  },
  {
    additionalProperties: false,
    description: 'Raise a fault with a custom response (Apigee RaiseFault): the flow stops, fault rules run with `fault.name` = `RaiseFault`, and the client gets this status, headers and payload.',
  },
);
export type RaiseFaultConfig = Static<typeof RaiseFaultConfig>;
