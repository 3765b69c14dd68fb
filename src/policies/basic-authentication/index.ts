// The basic-authentication policy (Apigee BasicAuthentication): encodes a user and password into HTTP Basic
// credentials, or decodes them from a header into variables (RFC 7617).
import { PolicyConfigError, StepFault, type FlowContext, type PolicyDefinition, type StepFunction, type StepPlacement, type VariableValue } from '../policy.ts';
import { BasicAuthenticationConfig } from './config.ts';

// RFC 7235 §3.1: a 401 carries a challenge; RFC 7617 §2.1: the credentials are UTF-8.
const CHALLENGE = { 'www-authenticate': 'Basic realm="gatehouse", charset="UTF-8"' };
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
const BASIC_SCHEME = /^basic[ \t]+/i;

function missing(source: string): StepFault {
  return new StepFault({
    faultName: 'UnresolvedVariable',
    code: 'basic-authentication.missing',
    apigeeCode: 'steps.basicauthentication.UnresolvedVariable',
    status: 401,
    message: `Unresolved variable : ${source}: the call carries no Basic credentials.`,
    headers: CHALLENGE,
  });
}

function invalid(source: string): StepFault {
  return new StepFault({
    faultName: 'InvalidBasicAuthenticationSource',
    code: 'basic-authentication.invalid',
    apigeeCode: 'steps.basicauthentication.InvalidBasicAuthenticationSource',
    status: 401,
    message: `Source variable : ${source} is not valid Basic credentials: expected Basic base64(user:password).`,
    headers: CHALLENGE,
  });
}

function unresolved(name: string): StepFault {
  return new StepFault({
    faultName: 'UnresolvedVariable',
    code: 'basic-authentication.unresolved_variable',
    apigeeCode: 'steps.basicauthentication.UnresolvedVariable',
    status: 500,
    message: `Unresolved variable : ${name}`,
  });
}

type Writer = (context: FlowContext, value: string) => void;

/** Where Encode writes: a request or response header, or a flow variable; checked against the step's place. */
function compileWriter(target: string, overwrite: boolean, placement: StepPlacement): Writer {
  const lower = target.toLowerCase();
  if (lower.startsWith('request.header.') && lower.length > 15) {
    const name = lower.slice(15);
    return function writeRequestHeader(context, value) {
      if (overwrite || context.request.header(name) === undefined) context.request.setHeader(name, value);
    };
  }
  if (lower.startsWith('response.header.') && lower.length > 16) {
    if (placement.phase === 'request') throw new PolicyConfigError(`assignTo '${target}': a step in the request flow has no response to write to.`);
    const name = lower.slice(16);
    return function writeResponseHeader(context, value) {
      const response = context.response;
      if (response && (overwrite || response.header(name) === undefined)) response.setHeader(name, value);
    };
  }
  if (lower.startsWith('request.') || lower.startsWith('response.')) {
    throw new PolicyConfigError(`assignTo '${target}': of the message, only headers can be written (request.header.<name>, response.header.<name>); other names are flow variables.`);
  }
  return function writeVariable(context, value) {
    if (overwrite || context.get(target) === undefined) context.set(target, value);
  };
}

export const basicAuthentication: PolicyDefinition<typeof BasicAuthenticationConfig> = {
  name: 'basic-authentication',
  summary: 'Encode a user and password into an HTTP Basic `Authorization` header, or decode one into flow variables.',
  apigee: 'BasicAuthentication',
  config: BasicAuthenticationConfig,
  errors: [
    {
      code: 'basic-authentication.missing',
      status: 401,
      faultName: 'UnresolvedVariable',
      apigeeCode: 'steps.basicauthentication.UnresolvedVariable',
      when: 'Decode: the source header or variable is not set (the call sent no credentials), and `ignoreUnresolvedVariables` is false. Carries a `WWW-Authenticate: Basic` challenge.',
    },
    {
      code: 'basic-authentication.invalid',
      status: 401,
      faultName: 'InvalidBasicAuthenticationSource',
      apigeeCode: 'steps.basicauthentication.InvalidBasicAuthenticationSource',
      when: 'Decode: the source is another scheme, not base64, not UTF-8, or has no `:` between user and password, and `ignoreUnresolvedVariables` is false. Carries a `WWW-Authenticate: Basic` challenge.',
    },
    {
      code: 'basic-authentication.unresolved_variable',
      status: 500,
      faultName: 'UnresolvedVariable',
      apigeeCode: 'steps.basicauthentication.UnresolvedVariable',
      when: 'Encode: the user or password variable is not set, and `ignoreUnresolvedVariables` is false.',
    },
  ],
  variables: {
    'basic-authentication.<step>.user': 'Decode: the user name, unless `user` names another variable.',
    'basic-authentication.<step>.password': 'Decode: the password, unless `password` names another variable.',
  },
  create(config, _deps, placement): StepFunction {
    const ignore = config.ignoreUnresolvedVariables;
    if (config.operation === 'Encode') {
      const { user, password } = config;
      if (user === undefined || password === undefined) throw new PolicyConfigError('Encode needs `user` and `password`: the variables holding the credentials to encode.');
      const write = compileWriter(config.assignTo, config.overwrite, placement);
      const text = (value: VariableValue) => (value === undefined ? undefined : String(value));
      return function basicAuthenticationEncodeStep(context) {
        const u = text(context.get(user));
        const p = text(context.get(password));
        if (u === undefined || p === undefined) {
          if (ignore) return;
          throw unresolved(u === undefined ? user : password);
        }
        write(context, `Basic ${Buffer.from(`${u}:${p}`, 'utf8').toString('base64')}`);
      };
    }
    const source = config.source;
    const userVariable = config.user ?? `basic-authentication.${placement.stepName}.user`;
    const passwordVariable = config.password ?? `basic-authentication.${placement.stepName}.password`;
    const utf8 = new TextDecoder('utf-8', { fatal: true });
    return function basicAuthenticationDecodeStep(context) {
      const value = context.get(source);
      if (value === undefined || value === '') {
        if (ignore) return;
        throw missing(source);
      }
      let encoded = String(value).trim();
      const scheme = BASIC_SCHEME.exec(encoded);
      if (scheme) encoded = encoded.slice(scheme[0].length);
      let decoded: string | undefined;
      // Padding may be left off (some clients do), but a length of 4n+1 is never base64.
      if (BASE64.test(encoded) && encoded.length % 4 !== 1) {
        try {
          decoded = utf8.decode(Buffer.from(encoded, 'base64'));
        } catch {
          decoded = undefined;
        }
      }
      // RFC 7617 §2: user-id ":" password; the user id cannot contain a colon, the password can.
      const colon = decoded === undefined ? -1 : decoded.indexOf(':');
      if (decoded === undefined || colon === -1) {
        if (ignore) return;
        throw invalid(source);
      }
      context.set(userVariable, decoded.slice(0, colon));
      context.set(passwordVariable, decoded.slice(colon + 1));
    };
  },
};
