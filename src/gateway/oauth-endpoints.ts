// Where the OAuth endpoints are: the deployed APIs whose flows hold an oauth-v2 step of a given operation (the token
// endpoint: GenerateAccessToken; revocation, introspection), as URLs. The hub shows token URLs; the gateway's RFC 8414
// metadata names them all.
//
// An endpoint is an API like any other (DESIGN §6), so its URL is the gateway's address, the API's base path, and,
// when the step sits behind a condition that pins `proxy.pathsuffix` to one path, that suffix.
import type { ApiSpec, Step } from '../model/api.ts';
import { parseCondition, type Expression } from './conditions/parser.ts';

/** A deployed API as the gateway serves it: its name and the spec of the deployed revision. */
export interface DeployedApi {
  readonly name: string;
  readonly spec: ApiSpec;
}

export interface TokenEndpoint {
  /** The token API's name. */
  readonly api: string;
  /** Base path plus the pinned path suffix, e.g. `/oauth/token`. */
  readonly path: string;
  /** The gateway's address followed by the path. */
  readonly url: string;
  /** The grant types the step accepts (its `supportedGrantTypes`, default `client_credentials`). */
  readonly grantTypes: readonly string[];
  /** The response shape: RFC 6749 (default) or Apigee/SAP's. */
  readonly dialect: 'rfc6749' | 'apigee';
  /** False when a condition guards the step without naming one path: the URL is then the base path, a best guess. */
  readonly exact: boolean;
}

interface Placed {
  readonly step: Step;
  /** Conditions that must hold for the step to run: the conditional flow's, then the step's own. */
  readonly conditions: readonly string[];
}

/** Every request-side step of the API, with the conditions that guard it. Token endpoints answer on the request. */
function requestSteps(spec: ApiSpec): Placed[] {
  const placed: Placed[] = [];
  const own = (step: Step) => (step.condition === undefined ? [] : [step.condition]);
  for (const step of spec.preFlow?.request ?? []) placed.push({ step, conditions: own(step) });
  for (const flow of spec.flows ?? []) {
    const guard = flow.condition === undefined ? [] : [flow.condition];
    for (const step of flow.request ?? []) placed.push({ step, conditions: [...guard, ...own(step)] });
  }
  for (const step of spec.postFlow?.request ?? []) placed.push({ step, conditions: own(step) });
  return placed;
}

function isGenerateStep(step: Step): boolean {
  return step.policy === 'oauth-v2' && step.config?.operation === 'GenerateAccessToken';
}

/** `*` in a MatchesPath or Matches pattern matches more than one path; such a pattern pins nothing. */
const WILDCARD = /[*?]/;

/**
 * The one path suffix a condition requires, when it requires one: `proxy.pathsuffix = "/token"`, or MatchesPath /
 * Matches with a pattern without wildcards, on its own or as a term of an `and` chain. Anything else (an `or`, a
 * `not`, a pattern) pins nothing: `undefined`.
 */
export function pinnedPathSuffix(condition: string): string | undefined {
  let expression: Expression;
  try {
    expression = parseCondition(condition);
  } catch {
    return undefined; // a deployed API's conditions parse; an undeployed one may not, and then we cannot tell
  }
  return pinnedIn(expression);
}

function pinnedIn(expression: Expression): string | undefined {
  if (expression.kind === 'and') return pinnedIn(expression.left) ?? pinnedIn(expression.right);
  if (expression.kind !== 'comparison') return undefined;
  const { operator, left, right } = expression;
  const isSuffix = (o: typeof left) => o.kind === 'variable' && o.name === 'proxy.pathsuffix';
  let literal: string | undefined;
  if (isSuffix(left) && right.kind === 'literal') literal = right.value;
  else if (operator === 'equals' && isSuffix(right) && left.kind === 'literal') literal = left.value;
  if (literal === undefined) return undefined;
  if (operator === 'equals') return literal;
  if ((operator === 'matchesPath' || operator === 'matches') && !WILDCARD.test(literal)) return literal;
  return undefined;
}

function joinPath(basePath: string, suffix: string): string {
  if (suffix === '') return basePath;
  const tail = suffix.startsWith('/') ? suffix : `/${suffix}`;
  return basePath === '/' ? tail : `${basePath}${tail}`;
}

/** An oauth-v2 endpoint of some operation: where it is, and the step's config. */
export interface OAuthEndpoint {
  readonly api: string;
  readonly path: string;
  readonly url: string;
  readonly exact: boolean;
  readonly config: Record<string, unknown>;
}

/** The endpoints of one operation among the deployed APIs, in the order given. */
export function operationEndpoints(apis: readonly DeployedApi[], gatewayUrl: string, operation: string): OAuthEndpoint[] {
  const origin = gatewayUrl.replace(/\/+$/, '');
  const found: OAuthEndpoint[] = [];
  for (const api of apis) {
    for (const { step, conditions } of requestSteps(api.spec)) {
      if (step.policy !== 'oauth-v2' || step.config?.operation !== operation) continue;
      const pinned = conditions.map(pinnedPathSuffix).find((s) => s !== undefined);
      const path = joinPath(api.spec.basePath, pinned ?? '');
      if (found.some((e) => e.path === path)) continue;
      found.push({ api: api.name, path, url: `${origin}${path}`, exact: pinned !== undefined || conditions.length === 0, config: step.config ?? {} });
    }
  }
  return found;
}

/** The token endpoints of one API (usually none or one; several when conditional flows serve several paths). */
export function tokenEndpointsOf(api: DeployedApi, gatewayUrl: string): TokenEndpoint[] {
  return operationEndpoints([api], gatewayUrl, 'GenerateAccessToken').map(({ api: name, path, url, exact, config }) => {
    const grants = Array.isArray(config.supportedGrantTypes) ? config.supportedGrantTypes.filter((g): g is string => typeof g === 'string') : ['client_credentials'];
    return { api: name, path, url, grantTypes: grants, dialect: config.dialect === 'apigee' ? ('apigee' as const) : ('rfc6749' as const), exact };
  });
}

/** The token endpoints among a set of deployed APIs, in the order given. */
export function tokenEndpoints(apis: readonly DeployedApi[], gatewayUrl: string): TokenEndpoint[] {
  return apis.flatMap((api) => tokenEndpointsOf(api, gatewayUrl));
}

/** True when the API issues tokens (has a GenerateAccessToken step): the hub lists it as a token endpoint, not an API to call. */
export function issuesTokens(spec: ApiSpec): boolean {
  return requestSteps(spec).some(({ step }) => isGenerateStep(step));
}
