// The cors step's configuration schema.
import { Type, type Static } from '@sinclair/typebox';

const List = (description: string, defaults?: string[]) =>
  Type.Array(Type.String({ minLength: 1, maxLength: 500 }), { maxItems: 200, uniqueItems: true, description, ...(defaults ? { default: defaults } : {}) });

export const CorsConfig = Type.Object(
  {
    allowOrigins: Type.Array(Type.String({ minLength: 1, maxLength: 500 }), {
      default: ['*'],
      minItems: 1,
      maxItems: 200,
      uniqueItems: true,
      description:
        'Origins that may call the API from a browser, exactly as browsers send them (`https://app.example.com`, `http://localhost:3000`: scheme, host and port, no path), or `*` for any origin (not with `allowCredentials`). Default `*`.',
    }),
    allowMethods: List('Methods a preflight allows (`Access-Control-Allow-Methods`); `*` for any (not with `allowCredentials`). Default GET, HEAD, POST, PUT, PATCH, DELETE.', ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE']),
    allowHeaders: Type.Optional(
      List('Request headers a preflight allows (`Access-Control-Allow-Headers`). Absent: those the browser asks for in `Access-Control-Request-Headers` are allowed.'),
    ),
    exposeHeaders: List('Response headers scripts may read beyond the CORS-safelisted ones (`Access-Control-Expose-Headers`); `*` for all (not with `allowCredentials`). Default none.', []),
    maxAge: Type.Integer({ default: 1800, minimum: 0, maximum: 86_400, description: 'Seconds a browser may cache a preflight answer (`Access-Control-Max-Age`). Default 1800, as Apigee.' }),
    allowCredentials: Type.Boolean({ default: false, description: 'Lets browsers send cookies and HTTP authentication (`Access-Control-Allow-Credentials: true`); needs explicit origins. Default false.' }),
    generatePreflightResponse: Type.Boolean({
      default: true,
      description: 'Default true. In the request flow: answer a preflight (`OPTIONS` with `Origin` and `Access-Control-Request-Method`) with 204 from the step, so the target is skipped; a preflight from an origin not allowed gets 403. When false, preflights go on like any request and the step in the response flow adds the preflight headers to whatever answers them.',
    }),
  },
  {
    additionalProperties: false,
    description:
      'Cross-origin resource sharing for browsers (Apigee X CORS). Place the step in `preFlow.request` (it answers preflights) and in `preFlow.response` or `postFlow.response` (it adds the CORS headers to responses); add it to a fault rule too for error responses to carry them.',
  },
);
export type CorsConfig = Static<typeof CorsConfig>;
