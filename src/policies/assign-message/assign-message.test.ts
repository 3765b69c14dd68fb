import { describe, expect, it } from 'vitest';
import { configure, flowContext, policyDeps, withResponse } from '../../../test/helpers/flow-context.ts';
import { PolicyConfigError, StepFault, type StepPlacement } from '../policy.ts';
import { assignMessage } from './index.ts';

function step(config: unknown, phase: StepPlacement['phase'] = 'request') {
  const compiled = configure(assignMessage, config);
  return assignMessage.create(compiled, policyDeps(), { api: 'api', stepName: 'assign', phase });
}

describe('assign-message', () => {
  it('sets, adds and removes request headers, with templates', async () => {
    const context = flowContext({ headers: { 'x-user': 'dana', 'x-drop': '1', accept: 'text/plain' } });
    await step({ set: { headers: { 'X-Caller': 'user={request.header.x-user}' } }, add: { headers: { Accept: 'application/json' } }, remove: { headers: ['X-Drop'] } })(context);
    expect(context.request.header('x-caller')).toBe('user=dana');
    expect(context.request.headers.accept).toEqual(['text/plain', 'application/json']);
    expect(context.request.header('x-drop')).toBeUndefined();
  });

  it('runs remove, add, set and assignVariables in the order they are written', async () => {
    const removeThenSet = flowContext({ headers: { 'x-a': 'old' } });
    await step({ remove: { headers: ['*'] }, set: { headers: { 'x-a': 'new' } } })(removeThenSet);
    expect(removeThenSet.request.header('x-a')).toBe('new');

    const setThenRemove = flowContext({ headers: { 'x-a': 'old' } });
    await step({ set: { headers: { 'x-a': 'new' } }, remove: { headers: ['*'] } })(setThenRemove);
    expect(setThenRemove.request.header('x-a')).toBeUndefined();

    const variableFirst = flowContext();
    await step({ assignVariables: [{ name: 'who', value: 'dana' }], set: { headers: { 'x-who': '{who}' } } })(variableFirst);
    expect(variableFirst.request.header('x-who')).toBe('dana');
  });

  it('keeps the framing headers when removing every header', async () => {
    const context = flowContext({ headers: { 'content-length': '0', 'x-a': '1' } });
    await step({ remove: { headers: ['*'] } })(context);
    expect(context.request.headers).toEqual({ 'content-length': '0' });
  });

  it('sets, adds and removes query parameters of the request, visible to later steps', async () => {
    const context = flowContext({ url: '/api/x?a=1&b=2&c=3' });
    await step({ remove: { queryParams: ['b'] }, add: { queryParams: { c: '4' } }, set: { queryParams: { a: '{request.verb}' } } })(context);
    expect(context.request.query.toString()).toBe('a=GET&c=3&c=4');
    expect(context.get('request.queryparam.a')).toBe('GET');
  });

  it('replaces CR and LF in a rendered header value with spaces, so a variable cannot inject a header', async () => {
    const context = flowContext({ url: '/api/x?v=a%0D%0ASet-Cookie:%20x' });
    await step({ set: { headers: { 'x-v': '{request.queryparam.v}' } } })(context);
    expect(context.request.header('x-v')).toBe('a  Set-Cookie: x');
  });

  it('sets the request payload and its content type', async () => {
    const context = flowContext({ method: 'POST', url: '/api/x?q=Berlin' });
    await step({ set: { payload: '{"city": "{request.queryparam.q}", "empty": {}}', contentType: 'application/json' } })(context);
    expect(JSON.parse((await context.request.readBody()).toString())).toEqual({ city: 'Berlin', empty: {} });
    expect(context.request.header('content-type')).toBe('application/json');
    expect(context.request.header('content-length')).toBe(String(Buffer.byteLength('{"city": "Berlin", "empty": {}}')));
  });

  it('honours variablePrefix and variableSuffix in the payload', async () => {
    const context = flowContext({ url: '/api/x?q=Berlin' });
    await step({ variablePrefix: '@', variableSuffix: '#', set: { payload: '{"q": "@request.queryparam.q#", "raw": "{request.queryparam.q}"}' } })(context);
    expect((await context.request.readBody()).toString()).toBe('{"q": "Berlin", "raw": "{request.queryparam.q}"}');
  });

  it('changes the response in the response flow by default: status, headers, payload', async () => {
    const context = withResponse(flowContext(), 200, '{"upstream":true}');
    await step({ remove: { headers: ['content-type'] }, set: { statusCode: 201, headers: { 'x-served-by': 'gatehouse' }, payload: 'done', contentType: 'text/plain' } }, 'response')(context);
    const response = context.response!;
    expect(response.status).toBe(201);
    expect(response.header('x-served-by')).toBe('gatehouse');
    expect((await response.readBody()).toString()).toBe('done');
    expect(response.header('content-type')).toBe('text/plain');
  });

  it('takes a status code from a template', async () => {
    const context = withResponse(flowContext({ headers: { 'x-status': '418' } }), 200, '{}');
    await step({ set: { statusCode: '{request.header.x-status}' } }, 'response')(context);
    expect(context.response!.status).toBe(418);
    const garbage = withResponse(flowContext({ headers: { 'x-status': 'teapot' } }), 200, '{}');
    await step({ set: { statusCode: '{request.header.x-status}' } }, 'response')(garbage);
    expect(garbage.response!.status).toBe(200);
  });

  it('removes the payload and its content type', async () => {
    const context = withResponse(flowContext(), 200, '{"secret":1}');
    await step({ remove: { payload: true } }, 'response')(context);
    expect((await context.response!.readBody()).length).toBe(0);
    expect(context.response!.header('content-type')).toBeUndefined();
  });

  it('shapes the error response in a fault rule', async () => {
    const context = withResponse(flowContext(), 401, '{"title":"Invalid token"}');
    await step({ set: { payload: '{"error":"please log in"}', headers: { 'x-fault': 'yes' } } }, 'fault')(context);
    expect(context.response!.status).toBe(401);
    expect((await context.response!.readBody()).toString()).toBe('{"error":"please log in"}');
  });

  it('changes the request from the response flow when told to', async () => {
    const context = withResponse(flowContext(), 200, '{}');
    await step({ assignTo: 'request', set: { headers: { 'x-a': '1' } } }, 'response')(context);
    expect(context.request.header('x-a')).toBe('1');
    expect(context.response!.header('x-a')).toBeUndefined();
  });

  it('assigns variables from a value, a ref (keeping its type, with the value as default) and a template', async () => {
    const context = withResponse(flowContext({ headers: { 'x-id': '7' } }), 404, '{}');
    await step(
      {
        assignVariables: [
          { name: 'flow.literal', value: 'v' },
          { name: 'flow.status', ref: 'response.status.code' },
          { name: 'flow.defaulted', ref: 'request.header.missing', value: 'fallback' },
          { name: 'flow.unset', ref: 'request.header.missing' },
          { name: 'flow.greeting', template: 'id={request.header.x-id}' },
        ],
      },
      'response',
    )(context);
    expect(context.get('flow.literal')).toBe('v');
    expect(context.get('flow.status')).toBe(404);
    expect(context.get('flow.defaulted')).toBe('fallback');
    expect(context.get('flow.unset')).toBeUndefined();
    expect(context.get('flow.greeting')).toBe('id=7');
  });

  it('fails with UnresolvedVariable when a template references an unset variable (Apigee default)', async () => {
    const context = flowContext();
    let fault: unknown;
    try {
      await step({ set: { headers: { 'x-a': '{request.header.missing}' } } })(context);
    } catch (error) {
      fault = error;
    }
    expect(fault).toBeInstanceOf(StepFault);
    expect(fault).toMatchObject({ code: 'assign-message.unresolved_variable', faultName: 'UnresolvedVariable', apigeeCode: 'steps.assignmessage.UnresolvedVariable', status: 500 });
  });

  it('renders unset variables as empty with ignoreUnresolvedVariables', async () => {
    const context = flowContext();
    await step({ ignoreUnresolvedVariables: true, set: { headers: { 'x-a': '[{request.header.missing}]' } } })(context);
    expect(context.request.header('x-a')).toBe('[]');
  });

  it('refuses at deploy what cannot work', () => {
    expect(() => step({ assignTo: 'response', set: { headers: { a: 'b' } } }, 'request')).toThrow(/request flow has none yet/);
    expect(() => step({ set: { statusCode: 404 } }, 'request')).toThrow(PolicyConfigError);
    expect(() => step({ set: { queryParams: { a: 'b' } } }, 'response')).toThrow(/request only/);
    expect(() => step({ set: { headers: { 'bad header': 'x' } } })).toThrow(/not a valid header name/);
    expect(() => step({ set: { statusCode: 'teapot' } }, 'response')).toThrow(/not a status code/);
    expect(() => step({ assignVariables: [{ name: 'a' }] })).toThrow(/give a value/);
    expect(() => step({ assignVariables: [{ name: 'a', value: 'x', template: 'y' }] })).toThrow(/not both/);
  });
});
