// The cors policy (Apigee X CORS): answers preflights in the request flow and adds the CORS headers to responses
// in the response flow, by the Fetch standard (https://fetch.spec.whatwg.org/#http-cors-protocol). One definition,
// two placements: the step looks at its phase. Browsers enforce CORS; the gateway only says what it allows, so an
// actual request from an origin not allowed still runs and merely gets no CORS headers.
import { addToList, fieldValue, headerName } from '../assign-message/headers.ts';
import { PolicyConfigError, StepFault, type FlowContext, type Headers, type PolicyDefinition, type StepFunction } from '../policy.ts';
import { CorsConfig } from './config.ts';

/** An origin as browsers serialise it: scheme://host[:port], no path, lower case. */
const ORIGIN = /^[a-z][a-z0-9+.-]*:\/\/[^/?#\s]+$/;
const METHOD = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

function originNotAllowed(origin: string): StepFault {
  return new StepFault({
    faultName: 'CORSOriginNotAllowed',
    code: 'cors.origin_not_allowed',
    apigeeCode: 'steps.cors.OriginNotAllowed',
    status: 403,
    message: `The origin ${origin} may not call this API from a browser.`,
  });
}

function isPreflight(context: FlowContext): boolean {
  return context.request.method === 'OPTIONS' && context.request.header('origin') !== undefined && context.request.header('access-control-request-method') !== undefined;
}

function compileOrigins(config: CorsConfig): { any: boolean; allowed: ReadonlySet<string> } {
  const any = config.allowOrigins.includes('*');
  if (any && config.allowCredentials) {
    // Fetch, "CORS protocol and credentials": with credentials, `*` is not a wildcard; browsers reject it.
    throw new PolicyConfigError('allowCredentials needs explicit allowOrigins: browsers refuse `Access-Control-Allow-Origin: *` on credentialed requests.');
  }
  const allowed = new Set<string>();
  for (const origin of config.allowOrigins) {
    if (origin === '*') continue;
    const lower = origin.toLowerCase();
    if (!ORIGIN.test(lower)) throw new PolicyConfigError(`allowOrigins: '${origin}' is not an origin; write scheme://host[:port] with no path, e.g. https://app.example.com.`);
    allowed.add(lower);
  }
  return { any, allowed };
}

export const cors: PolicyDefinition<typeof CorsConfig> = {
  name: 'cors',
  summary: 'Cross-origin resource sharing: answer browser preflights from the gateway and add the CORS headers to responses.',
  apigee: 'CORS',
  config: CorsConfig,
  errors: [
    {
      code: 'cors.origin_not_allowed',
      status: 403,
      faultName: 'CORSOriginNotAllowed',
      apigeeCode: 'steps.cors.OriginNotAllowed',
      when: 'Request flow, with `generatePreflightResponse`: a preflight comes from an origin that `allowOrigins` does not list. (Actual requests from such origins are not refused: they get no CORS headers, and the browser withholds the response.)',
    },
  ],
  variables: {
    'cors.<step>.preflight': 'True when the request is a CORS preflight.',
    'cors.<step>.origin_allowed': 'True when the request has an `Origin` that `allowOrigins` allows; false when it has one that it does not; unset without `Origin`.',
  },
  create(config, _deps, placement): StepFunction {
    const origins = compileOrigins(config);
    if (config.allowCredentials) {
      for (const [field, values] of [['allowMethods', config.allowMethods], ['allowHeaders', config.allowHeaders ?? []], ['exposeHeaders', config.exposeHeaders]] as const) {
        if (values.includes('*')) throw new PolicyConfigError(`${field}: \`*\` is a literal name on credentialed requests (Fetch, CORS protocol and credentials); list the names, or drop allowCredentials.`);
      }
    }
    for (const method of config.allowMethods) if (!METHOD.test(method)) throw new PolicyConfigError(`allowMethods: '${method}' is not a method.`);
    const allowHeaders = config.allowHeaders?.map((h) => (h === '*' ? '*' : headerName(h, 'allowHeaders'))).join(', ');
    const exposeHeaders = config.exposeHeaders.map((h) => (h === '*' ? '*' : headerName(h, 'exposeHeaders'))).join(', ');
    const allowMethods = config.allowMethods.join(', ');
    const maxAge = String(config.maxAge);
    const preflightVariable = `cors.${placement.stepName}.preflight`;
    const allowedVariable = `cors.${placement.stepName}.origin_allowed`;

    /** The origin when allowed (lower case), '' when the request has none, undefined when not allowed. */
    function checkOrigin(context: FlowContext): string | undefined {
      const origin = context.request.header('origin');
      if (origin === undefined) return '';
      const lower = origin.toLowerCase();
      const ok = origins.any || origins.allowed.has(lower);
      context.set(allowedVariable, ok);
      return ok ? lower : undefined;
    }

    /** The headers for an allowed origin; a preflight also gets what it asked about. */
    function corsHeaders(context: FlowContext, origin: string, preflight: boolean, into: Headers): void {
      // `*` when any origin may call and no credentials are involved: the response is then the same for every origin.
      into['access-control-allow-origin'] = origins.any ? '*' : fieldValue(origin);
      if (config.allowCredentials) into['access-control-allow-credentials'] = 'true';
      if (!preflight) {
        if (exposeHeaders) into['access-control-expose-headers'] = exposeHeaders;
        return;
      }
      into['access-control-allow-methods'] = allowMethods;
      const requested = context.request.header('access-control-request-headers');
      const headers = allowHeaders ?? (requested === undefined ? undefined : fieldValue(requested));
      if (headers) into['access-control-allow-headers'] = headers;
      into['access-control-max-age'] = maxAge;
    }

    function varyHeaders(context: FlowContext, preflight: boolean): string[] {
      const vary = origins.any ? [] : ['Origin'];
      if (preflight && allowHeaders === undefined && context.request.header('access-control-request-headers') !== undefined) vary.push('Access-Control-Request-Headers');
      return vary;
    }

    if (placement.phase === 'request') {
      return function corsPreflightStep(context) {
        const preflight = isPreflight(context);
        context.set(preflightVariable, preflight);
        if (!preflight) {
          checkOrigin(context);
          return; // an actual request gets its CORS headers from the step in the response flow
        }
        const origin = checkOrigin(context);
        if (!config.generatePreflightResponse) return;
        if (origin === undefined) throw originNotAllowed(context.request.header('origin') ?? '');
        const headers: Record<string, string> = {};
        corsHeaders(context, origin, true, headers);
        const vary = varyHeaders(context, true);
        if (vary.length > 0) headers.vary = vary.join(', ');
        context.respond(204, undefined, headers);
      };
    }

    return function corsResponseStep(context) {
      const response = context.response;
      if (!response) return;
      const preflight = isPreflight(context);
      context.set(preflightVariable, preflight);
      // Fetch, "CORS protocol and HTTP caches": when the answer depends on Origin, say so, CORS request or not.
      const vary = varyHeaders(context, preflight);
      if (vary.length > 0) addToList(response.headers, 'vary', vary);
      const origin = checkOrigin(context);
      if (!origin) return; // no Origin, or one not allowed: no CORS headers, and the browser withholds the response
      corsHeaders(context, origin, preflight, response.headers);
    };
  },
};
