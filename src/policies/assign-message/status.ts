// A status code written as a number or as a template (`{response.status.code}`), as Apigee's StatusCode allows.
import { PolicyConfigError } from '../policy.ts';
import { compileTemplate, type TemplateOptions, type VariableReader } from '../template.ts';

/** Renders the status, or undefined when a template rendered something that is not a status code (100-599). */
export type StatusFunction = (vars: VariableReader) => number | undefined;

function asStatus(text: string): number | undefined {
  const trimmed = text.trim();
  if (!/^[1-5][0-9]{2}$/.test(trimmed)) return undefined;
  return Number(trimmed);
}

export function compileStatus(value: number | string, where: string, options: TemplateOptions = {}): StatusFunction {
  if (typeof value === 'number') return () => value;
  const template = compileTemplate(value, { unresolved: options.unresolved });
  if (template.isStatic) {
    const fixed = asStatus(value);
    if (fixed === undefined) throw new PolicyConfigError(`${where}: '${value}' is not a status code (100-599) or a template such as {response.status.code}.`);
    return () => fixed;
  }
  return function renderStatus(vars) {
    return asStatus(template.render(vars));
  };
}
