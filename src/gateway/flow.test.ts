import { describe, expect, it } from 'vitest';
import { flowContext } from '../../test/helpers/flow-context.ts';
import { StepFault, type StepFunction } from '../policies/policy.ts';
import { isPromise } from '../util/maybe-promise.ts';
import type { CompiledApi, CompiledFlow, CompiledStep } from './compile.ts';
import { runApi } from './flow.ts';

const step = (name: string, run: StepFunction, continueOnError = false): CompiledStep => ({ name, policy: 'test', condition: undefined, continueOnError, run });
const flow = (name: string, request: CompiledStep[] = [], response: CompiledStep[] = []): CompiledFlow => ({ name, condition: undefined, request, response });

/** An API with no target: when no step answers, the gateway answers 200 itself. */
function api(parts: { preFlow?: CompiledFlow; flows?: CompiledFlow[]; postFlow?: CompiledFlow }): CompiledApi {
  return {
    identity: { name: 'api', revision: 1, basePath: '/api' },
    spec: { name: 'api', basePath: '/api' },
    target: undefined,
    faultFormat: 'gatehouse',
    preFlow: parts.preFlow ?? flow('PreFlow'),
    flows: parts.flows ?? [],
    postFlow: parts.postFlow ?? flow('PostFlow'),
    faultRules: [],
    defaultFaultRule: undefined,
    streamsTargetDirectly: false,
    passesThrough: false,
  };
}

const hooks = { onUnexpected: () => undefined };
const refuse = (): never => {
  throw new StepFault({ faultName: 'Refused', code: 'test.refused', apigeeCode: 'test.Refused', status: 403, message: 'no' });
};

describe('runApi', () => {
  it('answers at once, not as a promise, when no step waits', () => {
    const seen: string[] = [];
    const mark = (name: string) => step(name, () => void seen.push(name));
    const context = flowContext();
    const ran = runApi(api({ preFlow: flow('PreFlow', [mark('a')], [mark('d')]), flows: [flow('f', [mark('b')], [mark('e')])], postFlow: flow('PostFlow', [mark('c')], [mark('f')]) }), context, hooks);
    expect(isPromise(ran)).toBe(false);
    expect(ran).toBe(false);
    expect(seen).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
    expect(context.response?.status).toBe(200);
  });

  it('goes on in order after a step that waits, in every phase, and keeps the flow it chose', async () => {
    const seen: string[] = [];
    const mark = (name: string) => step(name, () => void seen.push(name));
    const wait = (name: string) => step(name, () => Promise.resolve().then(() => void seen.push(name)));
    const chosen = flow('chosen', [wait('b'), mark('b2')], [wait('e'), mark('e2')]);
    const ran = runApi(api({ preFlow: flow('PreFlow', [wait('a'), mark('a2')], [mark('d')]), flows: [chosen, flow('other', [mark('never')])], postFlow: flow('PostFlow', [mark('c')], [wait('f')]) }), flowContext(), hooks);
    expect(isPromise(ran)).toBe(true);
    expect(await ran).toBe(false);
    expect(seen).toEqual(['a', 'a2', 'b', 'b2', 'c', 'd', 'e', 'e2', 'f']);
  });

  it('continues past a failing step with continueOnError, whether it failed at once or after waiting', async () => {
    const context = flowContext();
    const later = step('later', () => context.set('reached', true));
    const failsLater = step('late', () => Promise.resolve().then(refuse), true);
    await runApi(api({ preFlow: flow('PreFlow', [step('early', refuse, true), failsLater, later]) }), context, hooks);
    expect(context.get('test.early.failed')).toBe(true);
    expect(context.get('test.late.failed')).toBe(true);
    expect(context.get('test.late.fault.name')).toBe('Refused');
    expect(context.get('reached')).toBe(true);
    expect(context.response?.status).toBe(200);
  });

  it('turns a fault, at once or after waiting, into the fault response and stops the flow', async () => {
    for (const failing of [step('now', refuse), step('later', () => Promise.resolve().then(refuse))]) {
      const context = flowContext();
      const after = step('after', () => context.set('reached', true));
      expect(await runApi(api({ preFlow: flow('PreFlow', [failing, after]) }), context, hooks)).toBe(false);
      expect(context.response?.status).toBe(403);
      expect(context.faultCode).toBe('test.refused');
      expect(context.get('reached')).toBeUndefined();
    }
  });
});
