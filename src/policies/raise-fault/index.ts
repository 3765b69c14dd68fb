// The raise-fault policy (Apigee RaiseFault): stops the flow with a fault whose status, headers and payload the
// step defines; fault rules match it on `fault.name = "RaiseFault"`.
import { fieldValue, headerName } from '../assign-message/headers.ts';
import { compileStatus } from '../assign-message/status.ts';
import { PolicyConfigError, StepFault, type PolicyDefinition, type StepFunction } from '../policy.ts';
import { compileTemplate, type Template, type VariableReader } from '../template.ts';
import { RaiseFaultConfig } from './config.ts';

function unresolvedVariable(name: string): StepFault {
  return new StepFault({
    faultName: 'UnresolvedVariable',
    code: 'raise-fault.unresolved_variable',
    apigeeCode: 'steps.raisefault.UnresolvedVariable',
    status: 500,
    message: `Unresolved variable : ${name}`,
  });
}

/** `application/json`, `application/problem+json`, `application/vnd.x+json`: the types a fault body can carry today. */
function isJsonType(contentType: string): boolean {
  const type = (contentType.split(';')[0] ?? '').trim().toLowerCase();
  return type === 'application/json' || type.endsWith('+json');
}

function parsedObject(text: string): object | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null ? value : undefined;
  } catch {
    return undefined;
  }
}

/** Every reference rendered as `0`: valid JSON then means the payload's own structure is sound, quoted or not. */
const PLACEHOLDERS: VariableReader = { get: () => '0' };

export const raiseFault: PolicyDefinition<typeof RaiseFaultConfig> = {
  name: 'raise-fault',
  summary: 'Stop the flow with a custom fault: status, headers and a JSON payload, with `{variable}` templates; fault rules see `fault.name` = `RaiseFault`.',
  apigee: 'RaiseFault',
  config: RaiseFaultConfig,
  errors: [
    { code: 'raise-fault.raised', status: 500, faultName: 'RaiseFault', apigeeCode: 'steps.raisefault.RaisedFault', when: 'Always, when the step runs: with the configured `statusCode` (500 by default), headers and payload.' },
    {
      code: 'raise-fault.unresolved_variable',
      status: 500,
      faultName: 'UnresolvedVariable',
      apigeeCode: 'steps.raisefault.UnresolvedVariable',
      when: 'A template references a variable that is not set, and `ignoreUnresolvedVariables` is false.',
    },
  ],
  variables: { 'fault.name': '`RaiseFault`, set by the gateway as the fault enters the fault rules.' },
  create(config, _deps, placement): StepFunction {
    const unresolved = config.ignoreUnresolvedVariables ? undefined : unresolvedVariable;
    const status = compileStatus(config.statusCode, 'statusCode', { unresolved });
    const message = compileTemplate(config.message, { unresolved });
    const headers: Array<[string, Template]> = Object.entries(config.headers ?? {}).map(([name, value]) => [headerName(name, 'headers'), compileTemplate(value, { unresolved })]);
    let payload: Template | undefined;
    if (config.payload !== undefined) {
      if (!isJsonType(config.contentType)) {
        // StepFault carries an object body only; text and XML payloads wait for string fault bodies in the contract.
        throw new PolicyConfigError(`contentType '${config.contentType}' is not supported yet: a raise-fault payload must be JSON (application/json or a +json type).`);
      }
      payload = compileTemplate(config.payload, { prefix: config.variablePrefix, suffix: config.variableSuffix, unresolved });
      if (parsedObject(payload.render(PLACEHOLDERS)) === undefined) throw new PolicyConfigError('payload is not a JSON object or array (variable references aside).');
    }
    const contentType = fieldValue(config.contentType);
    const stepName = placement.stepName;
    return function raiseFaultStep(context) {
      const rendered: Record<string, string> = {};
      for (const [name, template] of headers) rendered[name] = fieldValue(template.render(context));
      let body: object | undefined;
      let detail = message.render(context);
      if (payload) {
        body = parsedObject(payload.render(context));
        // A value substituted outside quotes can break the JSON; the client then gets the API's rendered error.
        if (body === undefined) detail = `${detail} (the payload of step ${stepName} did not render as JSON)`;
        else rendered['content-type'] = contentType;
      }
      throw new StepFault({ faultName: 'RaiseFault', code: 'raise-fault.raised', apigeeCode: 'steps.raisefault.RaisedFault', status: status(context) ?? 500, message: detail, headers: rendered, ...(body ? { body } : {}) });
    };
  },
};
