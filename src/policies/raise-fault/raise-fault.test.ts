import { describe, expect, it } from 'vitest';
import { renderFault } from '../../gateway/faults.ts';
import { configure, flowContext, policyDeps, withResponse } from '../../../test/helpers/flow-context.ts';
import { PolicyConfigError, StepFault, type FlowContext, type StepPlacement } from '../policy.ts';
import { raiseFault } from './index.ts';

function step(config: unknown, phase: StepPlacement['phase'] = 'request') {
  const compiled = configure(raiseFault, config);
  return raiseFault.create(compiled, policyDeps(), { api: 'api', stepName: 'refuse', phase });
}

async function raised(config: unknown, context: FlowContext = flowContext()): Promise<StepFault> {
  try {
    await step(config)(context);
  } catch (error) {
    if (error instanceof StepFault) return error;
    throw error;
  }
  throw new Error('the step did not raise a fault');
}

describe('raise-fault', () => {
  it('raises RaiseFault with status 500 by default, rendered in the API fault format', async () => {
    const fault = await raised({});
    expect(fault).toMatchObject({ faultName: 'RaiseFault', code: 'raise-fault.raised', apigeeCode: 'steps.raisefault.RaisedFault', status: 500, message: 'The request was refused.', body: undefined });
    const context = flowContext();
    renderFault(context, fault, 'apigee');
    expect(JSON.parse((await context.response!.readBody()).toString())).toEqual({ fault: { faultstring: 'The request was refused.', detail: { errorcode: 'steps.raisefault.RaisedFault' } } });
  });

  it('raises the configured status, headers and templated message', async () => {
    const context = flowContext({ url: '/api/orders/7', headers: { 'x-tenant': 'acme' } });
    const fault = await raised({ statusCode: 404, message: 'No order at {request.path}', headers: { 'X-Tenant': '{request.header.x-tenant}' } }, context);
    expect(fault.status).toBe(404);
    expect(fault.message).toBe('No order at /api/orders/7');
    expect(fault.headers).toEqual({ 'x-tenant': 'acme' });
  });

  it('replaces the rendered error with its JSON payload', async () => {
    const context = flowContext({ url: '/api/x?q=Berlin' });
    const fault = await raised({ statusCode: 400, payload: '{"error": "no weather for {request.queryparam.q}", "details": {}}', contentType: 'application/problem+json' }, context);
    expect(fault.body).toEqual({ error: 'no weather for Berlin', details: {} });
    renderFault(context, fault, 'gatehouse');
    expect(context.response!.status).toBe(400);
    expect(context.response!.header('content-type')).toBe('application/problem+json');
    expect(JSON.parse((await context.response!.readBody()).toString())).toEqual({ error: 'no weather for Berlin', details: {} });
  });

  it('honours variablePrefix and variableSuffix in the payload', async () => {
    const context = flowContext({ headers: { 'x-id': '9' } });
    const fault = await raised({ payload: '{"id": @request.header.x-id#, "text": "{kept}"}', variablePrefix: '@', variableSuffix: '#' }, context);
    expect(fault.body).toEqual({ id: 9, text: '{kept}' });
  });

  it('takes its status from a template, and answers 500 when that is not a status code', async () => {
    const from = withResponse(flowContext(), 503, '{}');
    expect((await raised({ statusCode: '{response.status.code}' }, from)).status).toBe(503);
    expect((await raised({ statusCode: '{request.header.missing}' })).status).toBe(500);
  });

  it('falls back to the rendered error when a substituted value breaks the JSON', async () => {
    const context = flowContext({ headers: { 'x-n': 'not-a-number' } });
    const fault = await raised({ statusCode: 422, payload: '{"n": {request.header.x-n}}' }, context);
    expect(fault.status).toBe(422);
    expect(fault.body).toBeUndefined();
    expect(fault.message).toMatch(/did not render as JSON/);
  });

  it('renders unset variables as empty by default, and fails with UnresolvedVariable when told not to ignore them', async () => {
    expect((await raised({ message: 'x[{request.header.missing}]' })).message).toBe('x[]');
    expect(await raised({ message: '{request.header.missing}', ignoreUnresolvedVariables: false })).toMatchObject({ code: 'raise-fault.unresolved_variable', faultName: 'UnresolvedVariable', status: 500 });
  });

  it('refuses payloads it cannot carry at deploy', () => {
    expect(() => step({ payload: '<error/>', contentType: 'text/xml' })).toThrow(/not supported yet/);
    expect(() => step({ payload: '{"unclosed": ' })).toThrow(PolicyConfigError);
    expect(() => step({ payload: '"just a string"' })).toThrow(/JSON object or array/);
    expect(() => step({ statusCode: 'teapot' })).toThrow(/not a status code/);
  });
});
