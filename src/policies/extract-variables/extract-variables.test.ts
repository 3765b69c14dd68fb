import { describe, expect, it } from 'vitest';
import { configure, flowContext, policyDeps, withResponse } from '../../../test/helpers/flow-context.ts';
import { PolicyConfigError, StepFault, type StepPlacement } from '../policy.ts';
import { extractVariables } from './index.ts';
import { compileJsonPath } from './json-path.ts';
import { compilePattern } from './pattern.ts';

function step(config: unknown, phase: StepPlacement['phase'] = 'request') {
  const compiled = configure(extractVariables, config);
  return extractVariables.create(compiled, policyDeps(), { api: 'api', stepName: 'extract', phase });
}

describe('extract-variables', () => {
  it('extracts path segments with the first matching uriPath pattern, percent-decoded', async () => {
    const context = flowContext({ url: '/api/forecast/New%20York/daily', basePath: '/api' });
    await step({ uriPath: ['/current/{city}', '/forecast/{city}/{span}'], variablePrefix: 'weather' })(context);
    expect(context.get('weather.city')).toBe('New York');
    expect(context.get('weather.span')).toBe('daily');
  });

  it('matches uriPath wildcards and an optional trailing slash, one segment per capture', () => {
    const pattern = compilePattern('/a/*/{id}/**', { path: true }, 'test');
    expect(pattern.match('/a/x/7/b/c')).toEqual({ id: '7' });
    expect(compilePattern('/items/{id}', { path: true }, 'test').match('/items/7/')).toEqual({ id: '7' });
    expect(compilePattern('/items/{id}', { path: true }, 'test').match('/items/7/more')).toBeUndefined();
  });

  it('extracts from headers with patterns like Bearer {token}, and from query parameters', async () => {
    const context = flowContext({ url: '/api/x?code=DBN42&q=Berlin', headers: { authorization: 'Bearer abc.def/ghi' } });
    await step({ headers: [{ name: 'Authorization', pattern: 'Bearer {token}' }], queryParams: [{ name: 'code', pattern: ['XYZ{n}', 'DBN{dbn}'] }, { name: 'q', pattern: '{city}' }] })(context);
    expect(context.get('token')).toBe('abc.def/ghi');
    expect(context.get('dbn')).toBe('42');
    expect(context.get('city')).toBe('Berlin');
  });

  it('matches literal text ignoring case when told to', async () => {
    const context = flowContext({ headers: { authorization: 'bearer t1' } });
    await step({ headers: [{ name: 'authorization', pattern: 'Bearer {token}' }] })(context);
    expect(context.get('token')).toBeUndefined();
    await step({ ignoreCase: true, headers: [{ name: 'authorization', pattern: 'Bearer {token}' }] })(context);
    expect(context.get('token')).toBe('t1');
  });

  it('extracts form parameters from a form body', async () => {
    const context = flowContext({ method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'user=dana&role=admin%20x' });
    await step({ formParams: [{ name: 'role', pattern: '{role}' }] })(context);
    expect(context.get('role')).toBe('admin x');
  });

  it('extracts values from the JSON body of the response, keeping scalars and writing structures as JSON text', async () => {
    const body = JSON.stringify({ city: { name: 'Berlin', temp: 21.5, sunny: true }, days: [{ t: 1 }, { t: 2 }], 'odd key': 'x', nothing: null });
    const context = withResponse(flowContext(), 200, body);
    await step(
      {
        jsonPaths: [
          { variable: 'name', path: '$.city.name' },
          { variable: 'temp', path: '$.city.temp' },
          { variable: 'sunny', path: '$.city.sunny' },
          { variable: 'second', path: '$.days[1].t' },
          { variable: 'all', path: '$.days[*].t' },
          { variable: 'city', path: '$.city' },
          { variable: 'odd', path: "$['odd key']" },
          { variable: 'nothing', path: '$.nothing' },
          { variable: 'missing', path: '$.days[5].t' },
        ],
      },
      'response',
    )(context);
    expect(context.get('name')).toBe('Berlin');
    expect(context.get('temp')).toBe(21.5);
    expect(context.get('sunny')).toBe(true);
    expect(context.get('second')).toBe(2);
    expect(context.get('all')).toBe('[1,2]');
    expect(JSON.parse(String(context.get('city')))).toEqual({ name: 'Berlin', temp: 21.5, sunny: true });
    expect(context.get('odd')).toBe('x');
    expect(context.get('nothing')).toBeUndefined();
    expect(context.get('missing')).toBeUndefined();
  });

  it('leaves variables unset and goes on when nothing matches (the default)', async () => {
    const context = withResponse(flowContext(), 200, 'not json');
    await step({ jsonPaths: [{ variable: 'a', path: '$.a' }], headers: [{ name: 'x-missing', pattern: '{m}' }] }, 'response')(context);
    expect(context.get('a')).toBeUndefined();
    expect(context.get('m')).toBeUndefined();
  });

  it('fails with UnresolvedVariable when told not to ignore what it cannot find', async () => {
    const context = flowContext({ url: '/api/other' });
    await expect(async () => step({ uriPath: ['/forecast/{city}'], ignoreUnresolvedVariables: false })(context)).rejects.toThrow(StepFault);
    await expect(async () => step({ uriPath: ['/forecast/{city}'], ignoreUnresolvedVariables: false })(context)).rejects.toMatchObject({
      code: 'extract-variables.unresolved_variable',
      faultName: 'UnresolvedVariable',
      status: 500,
    });
  });

  it('refuses at deploy what cannot work', () => {
    expect(() => step({})).toThrow(/nothing to extract/);
    expect(() => step({ source: 'response', headers: [{ name: 'a', pattern: '{a}' }] }, 'request')).toThrow(/request flow has none yet/);
    expect(() => step({ queryParams: [{ name: 'a', pattern: '{a}' }] }, 'response')).toThrow(/reads the request/);
    expect(() => step({ headers: [{ name: 'a', pattern: 'no captures' }] })).toThrow(/captures nothing/);
    expect(() => step({ headers: [{ name: 'a', pattern: '{a}-{a}' }] })).toThrow(/twice/);
    expect(() => step({ headers: [{ name: 'a', pattern: '{a b}' }] })).toThrow(PolicyConfigError);
    expect(() => step({ jsonPaths: [{ variable: 'a', path: '$..a' }] })).toThrow(/recursive descent/);
    expect(() => step({ jsonPaths: [{ variable: 'a', path: '$.a[?(@.b)]' }] })).toThrow(/unsupported selector/);
    expect(() => step({ jsonPaths: [{ variable: 'a', path: 'a.b' }] })).toThrow(/start with \$/);
  });
});

describe('compileJsonPath', () => {
  it('selects through objects and arrays, with wildcards over both', () => {
    const doc = { a: [{ b: 1 }, { b: 2 }, { c: 3 }], o: { x: 1, y: 2 } };
    expect(compileJsonPath('$.a[*].b', 't').select(doc)).toEqual([1, 2]);
    expect(compileJsonPath('$.o.*', 't').select(doc)).toEqual([1, 2]);
    expect(compileJsonPath('$["o"].y', 't').select(doc)).toEqual([2]);
    expect(compileJsonPath('$', 't').select(doc)).toEqual([doc]);
    expect(compileJsonPath('$.a.b', 't').select(doc)).toEqual([]);
    expect(compileJsonPath('$.a.length', 't').select(doc)).toEqual([]);
  });
});
