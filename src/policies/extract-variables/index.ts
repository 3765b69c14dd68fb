// The extract-variables policy (Apigee ExtractVariables): values from the path, query, headers, form or JSON body
// into flow variables, through patterns and JSON paths compiled at deploy.
import { PolicyConfigError, StepFault, type FlowContext, type PolicyDefinition, type StepFunction, type VariableValue } from '../policy.ts';
import { ExtractVariablesConfig } from './config.ts';
import { compileJsonPath, type JsonPath } from './json-path.ts';
import { compilePattern, type Pattern } from './pattern.ts';

function unresolvedVariable(what: string): StepFault {
  return new StepFault({
    faultName: 'UnresolvedVariable',
    code: 'extract-variables.unresolved_variable',
    apigeeCode: 'steps.extractvariables.UnresolvedVariable',
    status: 500,
    message: `Unresolved variable : ${what}`,
  });
}

/** What one message offers for extraction, read once per step run. */
interface Inputs {
  readonly context: FlowContext;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly form: URLSearchParams | undefined;
  /** The parsed JSON body, or NOT_JSON. */
  readonly json: unknown;
}

const NOT_JSON = Symbol('not JSON');

interface Extraction {
  /** For the fault's message. */
  readonly what: string;
  /** The values to set by variable name (before the prefix), or undefined when nothing matched. */
  run(inputs: Inputs): Record<string, VariableValue> | undefined;
}

function firstMatch(patterns: readonly Pattern[], value: string | undefined): Record<string, string> | undefined {
  if (value === undefined) return undefined;
  for (const pattern of patterns) {
    const found = pattern.match(value);
    if (found) return found;
  }
  return undefined;
}

function patternsOf(pattern: string | readonly string[], where: string, ignoreCase: boolean): Pattern[] {
  return (typeof pattern === 'string' ? [pattern] : pattern).map((p) => compilePattern(p, { ignoreCase }, where));
}

function jsonValue(path: JsonPath, root: unknown): VariableValue {
  if (root === NOT_JSON) return undefined;
  const found = path.select(root).filter((v) => v !== null && v !== undefined);
  if (path.many) return found.length === 0 ? undefined : JSON.stringify(found);
  const value = found[0];
  if (value === undefined || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  return JSON.stringify(value);
}

function compileExtractions(config: ExtractVariablesConfig, source: 'request' | 'response'): Extraction[] {
  const extractions: Extraction[] = [];
  const requestOnly = (field: string) => {
    if (source !== 'request') throw new PolicyConfigError(`${field} reads the request; this step reads the response (set source: request).`);
  };
  if (config.uriPath) {
    requestOnly('uriPath');
    const patterns = config.uriPath.map((p, i) => compilePattern(p, { path: true, ignoreCase: config.ignoreCase }, `uriPath[${i}]`));
    extractions.push({ what: `uriPath ${config.uriPath.join(' | ')}`, run: (inputs) => firstMatch(patterns, inputs.context.request.pathSuffix) });
  }
  for (const [i, param] of (config.queryParams ?? []).entries()) {
    requestOnly('queryParams');
    const patterns = patternsOf(param.pattern, `queryParams[${i}]`, config.ignoreCase);
    extractions.push({ what: `query parameter ${param.name}`, run: (inputs) => firstMatch(patterns, inputs.context.request.query.get(param.name) ?? undefined) });
  }
  for (const [i, header] of (config.headers ?? []).entries()) {
    const name = header.name.toLowerCase();
    const patterns = patternsOf(header.pattern, `headers[${i}]`, config.ignoreCase);
    extractions.push({
      what: `header ${header.name}`,
      run(inputs) {
        const value = inputs.headers[name];
        return firstMatch(patterns, Array.isArray(value) ? value[0] : value);
      },
    });
  }
  for (const [i, param] of (config.formParams ?? []).entries()) {
    requestOnly('formParams');
    const patterns = patternsOf(param.pattern, `formParams[${i}]`, config.ignoreCase);
    extractions.push({ what: `form parameter ${param.name}`, run: (inputs) => firstMatch(patterns, inputs.form?.get(param.name) ?? undefined) });
  }
  for (const [i, entry] of (config.jsonPaths ?? []).entries()) {
    const path = compileJsonPath(entry.path, `jsonPaths[${i}]`);
    extractions.push({
      what: `JSON path ${entry.path}`,
      run(inputs) {
        const value = jsonValue(path, inputs.json);
        return value === undefined ? undefined : { [entry.variable]: value };
      },
    });
  }
  return extractions;
}

export const extractVariables: PolicyDefinition<typeof ExtractVariablesConfig> = {
  name: 'extract-variables',
  summary: 'Extract values from the path, query parameters, headers, form parameters or JSON body into flow variables.',
  apigee: 'ExtractVariables',
  config: ExtractVariablesConfig,
  errors: [
    {
      code: 'extract-variables.unresolved_variable',
      status: 500,
      faultName: 'UnresolvedVariable',
      apigeeCode: 'steps.extractvariables.UnresolvedVariable',
      when: 'With `ignoreUnresolvedVariables: false`: a pattern did not match, the parameter or header is absent, or a JSON path found nothing (or the body is not JSON). To answer a client 400 instead, keep the default and follow with a raise-fault step conditioned on the variable.',
    },
  ],
  variables: {
    '<variablePrefix>.<name>': 'Each `{name}` a pattern captured and each `jsonPaths[].variable` found; `<name>` alone without `variablePrefix`. Unset when not found.',
  },
  create(config, _deps, placement): StepFunction {
    const source = config.source ?? (placement.phase === 'request' ? 'request' : 'response');
    if (source === 'response' && placement.phase === 'request') throw new PolicyConfigError('source response needs a response, and the request flow has none yet: place this step in a response flow.');
    const extractions = compileExtractions(config, source);
    if (extractions.length === 0) throw new PolicyConfigError('nothing to extract: give uriPath, queryParams, headers, formParams or jsonPaths.');
    const prefix = config.variablePrefix ? `${config.variablePrefix}.` : '';
    const strict = !config.ignoreUnresolvedVariables;
    const needsForm = (config.formParams?.length ?? 0) > 0;
    const needsJson = (config.jsonPaths?.length ?? 0) > 0;
    return async function extractVariablesStep(context) {
      const message = source === 'request' ? context.request : context.response;
      if (!message) return;
      let json: unknown = NOT_JSON;
      if (needsJson) {
        const body = await message.readBody();
        try {
          json = JSON.parse(body.toString('utf8'));
        } catch {
          json = NOT_JSON; // a body that is not JSON has nothing at any path
        }
      }
      const inputs: Inputs = { context, headers: message.headers, form: needsForm ? await context.request.readForm() : undefined, json };
      for (const extraction of extractions) {
        const values = extraction.run(inputs);
        if (!values) {
          if (strict) throw unresolvedVariable(extraction.what);
          continue;
        }
        for (const [name, value] of Object.entries(values)) context.set(prefix + name, value);
      }
    };
  },
};
