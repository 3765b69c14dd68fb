// The basic-authentication step's configuration schema.
import { Type, type Static } from '@sinclair/typebox';

const VariableName = (options: { description: string; default?: string }) => Type.String({ pattern: '^[A-Za-z_][A-Za-z0-9_.-]*$', maxLength: 200, ...options });

export const BasicAuthenticationConfig = Type.Object(
  {
    operation: Type.Union([Type.Literal('Encode'), Type.Literal('Decode')], {
      description: '`Encode`: write `Basic base64(user:password)` from two variables. `Decode`: split the Basic credentials of a header (or variable) into two variables.',
    }),
    user: Type.Optional(
      VariableName({ description: 'Encode: the variable holding the user name (required). Decode: the variable that receives it; default `basic-authentication.<step>.user`.' }),
    ),
    password: Type.Optional(
      VariableName({ description: 'Encode: the variable holding the password (required). Decode: the variable that receives it; default `basic-authentication.<step>.password`.' }),
    ),
    assignTo: VariableName({
      default: 'request.header.Authorization',
      description:
        'Encode: where the `Basic …` value goes: `request.header.<name>`, `response.header.<name>` (response flow only), or any other name for a flow variable (Apigee `<AssignTo>`). Default `request.header.Authorization`.',
    }),
    overwrite: Type.Boolean({
      default: true,
      description: 'Encode: replace a value `assignTo` already has. False writes only when it is unset (Apigee `createNew="false"`, its default there). Default true.',
    }),
    source: VariableName({
      default: 'request.header.Authorization',
      description: 'Decode: the header or variable holding the credentials, with or without the `Basic ` scheme (Apigee `<Source>`). Default `request.header.Authorization`.',
    }),
    ignoreUnresolvedVariables: Type.Boolean({
      default: false,
      description:
        'Decode: when the source is missing or not Basic credentials, continue without setting the variables instead of refusing with 401. Encode: when the user or password variable is unset, write nothing instead of failing with 500. Default false.',
    }),
  },
  { additionalProperties: false, description: 'Encode or decode HTTP Basic credentials (Apigee BasicAuthentication, RFC 7617).' },
);
export type BasicAuthenticationConfig = Static<typeof BasicAuthenticationConfig>;
