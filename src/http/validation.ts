// Schema validation for the management API: one Ajv for bodies (strict, no coercion), one for parameters.
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import type { FastifySchemaCompiler } from 'fastify';
import { GatehouseError } from '../errors.ts';
import type { FieldProblem } from './problem.ts';

const shared = { allErrors: true, verbose: true, strict: false, removeAdditional: false, useDefaults: false } as const;
const bodyAjv = new Ajv({ ...shared, coerceTypes: false });
// Path and query parameters arrive as strings; `limit=10` must read as a number.
const paramAjv = new Ajv({ ...shared, coerceTypes: 'array' });

export const validatorCompiler: FastifySchemaCompiler<object> = ({ schema, httpPart }) => {
  const ajv = httpPart === 'body' ? bodyAjv : paramAjv;
  const validate: ValidateFunction = ajv.compile(schema);
  return function validateAgainstSchema(input: unknown) {
    // No body reads as an empty object: optional bodies pass, required fields are reported by name.
    const data = httpPart === 'body' && (input === null || input === undefined) ? {} : input;
    if (validate(data)) return { value: data };
    const where = httpPart === 'body' ? 'body' : httpPart === 'querystring' ? 'query' : httpPart === 'params' ? 'path' : String(httpPart);
    return { error: validationError(validate.errors ?? [], where) };
  };
};

/** Reduces Ajv's errors to one message per field, in words a person understands. */
export function fieldProblems(errors: readonly ErrorObject[]): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const seen = new Set<string>();
  // A failed union reports every branch; keep the branch errors only when nothing more specific exists.
  const specific = errors.filter((e) => e.keyword !== 'anyOf' && e.keyword !== 'oneOf');
  for (const error of specific.length > 0 ? specific : errors) {
    const { path, message } = describe(error);
    const key = `${path} ${message}`;
    if (!seen.has(key)) {
      seen.add(key);
      problems.push({ path: path || '/', message });
    }
  }
  return problems;
}

function describe(error: ErrorObject): FieldProblem {
  const at = error.instancePath;
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'additionalProperties':
      return { path: `${at}/${String(params.additionalProperty)}`, message: `unknown field '${String(params.additionalProperty)}'` };
    case 'required':
      return { path: `${at}/${String(params.missingProperty)}`, message: 'is required' };
    case 'pattern': {
      const description = (error.parentSchema as { description?: string } | undefined)?.description;
      return { path: at, message: description ? `is not valid: ${description}` : `must match ${String(params.pattern)}` };
    }
    case 'const':
      return { path: at, message: `must be '${String(params.allowedValue)}'` };
    case 'enum':
      return { path: at, message: `must be one of ${(params.allowedValues as unknown[]).map((v) => `'${String(v)}'`).join(', ')}` };
    default:
      return { path: at, message: error.message ?? 'is not valid' };
  }
}

export function validationError(errors: readonly ErrorObject[], where: string): GatehouseError {
  const problems = fieldProblems(collapseLiteralUnions(errors));
  const first = problems[0];
  const summary = first ? `${where}${first.path === '/' ? '' : ` field ${first.path}`} ${first.message}` : `the ${where} is not valid`;
  const more = problems.length > 1 ? ` (and ${problems.length - 1} more problem${problems.length > 2 ? 's' : ''})` : '';
  return new GatehouseError('request.invalid', `Invalid ${summary}${more}.`, { details: { errors: problems } });
}

/**
 * A union of string literals fails with one `const` error per member; say "must be one of …" once instead.
 */
function collapseLiteralUnions(errors: readonly ErrorObject[]): ErrorObject[] {
  const byPath = new Map<string, ErrorObject[]>();
  for (const e of errors) if (e.keyword === 'const') byPath.set(e.instancePath, [...(byPath.get(e.instancePath) ?? []), e]);
  const out: ErrorObject[] = [];
  const done = new Set<string>();
  for (const e of errors) {
    const group = e.keyword === 'const' ? byPath.get(e.instancePath) : undefined;
    if (group && group.length > 1) {
      if (done.has(e.instancePath)) continue;
      done.add(e.instancePath);
      out.push({ ...e, keyword: 'enum', params: { allowedValues: group.map((g) => (g.params as { allowedValue: unknown }).allowedValue) } });
    } else out.push(e);
  }
  return out;
}
