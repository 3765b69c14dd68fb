import { Value } from '@sinclair/typebox/value';
import { describe, expect, it } from 'vitest';
import { configure, flowContext, policyDeps, outcome } from '../../../test/helpers/flow-context.ts';
import { MemoryCounters } from '../../counters/memory.ts';
import type { Counters } from '../../counters/counters.ts';
import { ManualClock } from '../../util/clock.ts';
import { PolicyConfigError, StepFault, type PolicyDeps, type StepPlacement } from '../policy.ts';
import { spikeArrest } from './index.ts';

function step(config: unknown, deps: PolicyDeps, placement: Partial<StepPlacement> = {}) {
  const compiled = configure(spikeArrest, config);
  return spikeArrest.create(compiled, deps, { api: 'api', stepName: 'spike', phase: 'request', ...placement });
}

function setup(config: unknown, placement: Partial<StepPlacement> = {}) {
  const clock = new ManualClock();
  const deps = policyDeps({}, clock);
  return { clock, deps, run: step(config, deps, placement), context: (request: Parameters<typeof flowContext>[0] = {}) => flowContext(request, clock) };
}

describe('spike-arrest', () => {
  it('smooths 10ps into one call every 100 ms', async () => {
    const { clock, run, context } = setup({ rate: '10ps' });
    expect(await outcome(run, context())).toBe('passed');
    clock.advance(99);
    expect(await outcome(run, context())).toBeInstanceOf(StepFault);
    clock.advance(1);
    expect(await outcome(run, context())).toBe('passed');
  });

  it('refuses with SpikeArrestViolation, 429 and Retry-After in whole seconds, rounded up', async () => {
    const { clock, run, context } = setup({ rate: '30pm' });
    await run(context());
    clock.advance(500);
    const fault = await outcome(run, context());
    expect(fault).toMatchObject({
      status: 429,
      faultName: 'SpikeArrestViolation',
      code: 'spike-arrest.exceeded',
      apigeeCode: 'policies.ratelimit.SpikeArrestViolation',
      message: 'Spike arrest violation. Allowed rate : 30pm',
      headers: { 'retry-after': '2' }, // 1.5 s left of the 2 s slice
    });
    clock.advance(1500);
    expect(await outcome(run, context())).toBe('passed');
  });

  it('lets one call of a simultaneous burst through', async () => {
    const { run, context } = setup({ rate: '5ps' });
    const results = await Promise.all(Array.from({ length: 50 }, () => outcome(run, context())));
    expect(results.filter((r) => r === 'passed')).toHaveLength(1);
  });

  it('covers the whole API by default, every client together', async () => {
    const { run, context } = setup({ rate: '1ps' });
    expect(await outcome(run, context({ clientIp: '10.0.0.1' }))).toBe('passed');
    expect(await outcome(run, context({ clientIp: '10.0.0.2' }))).toBeInstanceOf(StepFault);
  });

  it('gives each identifier its own allowance, and unidentified calls the shared one', async () => {
    const { run, context } = setup({ rate: '1ps', identifier: 'request.header.x-client' });
    expect(await outcome(run, context({ headers: { 'x-client': 'a' } }))).toBe('passed');
    expect(await outcome(run, context({ headers: { 'x-client': 'b' } }))).toBe('passed');
    expect(await outcome(run, context({ headers: { 'x-client': 'a' } }))).toBeInstanceOf(StepFault);
    expect(await outcome(run, context())).toBe('passed');
    expect(await outcome(run, context())).toBeInstanceOf(StepFault);
  });

  it('keeps the allowances of different APIs apart', async () => {
    const clock = new ManualClock();
    const deps = policyDeps({}, clock);
    expect(await outcome(step({ rate: '1ps' }, deps, { api: 'a' }), flowContext({}, clock))).toBe('passed');
    expect(await outcome(step({ rate: '1ps' }, deps, { api: 'b' }), flowContext({}, clock))).toBe('passed');
  });

  it('marks the step failed in its variables when it refuses a call', async () => {
    const { run, context } = setup({ rate: '1ps' });
    await run(context());
    const refused = context();
    await outcome(run, refused);
    expect(refused.get('ratelimit.spike.failed')).toBe(true);
  });

  it('answers with the configured status, 500 like Apigee Edge', async () => {
    const { run, context } = setup({ rate: '1pm', status: 500 });
    await run(context());
    expect(await outcome(run, context())).toMatchObject({ status: 500, headers: { 'retry-after': '60' } });
  });

  it('works with counters that answer asynchronously (a shared store)', async () => {
    const clock = new ManualClock();
    const memory = new MemoryCounters();
    const remote: Counters = { hit: async (...args) => memory.hit(...args), smooth: async (...args) => memory.smooth(...args) };
    const run = step({ rate: '1ps' }, policyDeps({ counters: remote }, clock));
    expect(await outcome(run, flowContext({}, clock))).toBe('passed');
    expect(await outcome(run, flowContext({}, clock))).toMatchObject({ code: 'spike-arrest.exceeded' });
  });

  it('accepts only rates like 10ps and 30pm', () => {
    for (const rate of ['10ps', '30pm', '1000ps']) expect(Value.Check(spikeArrest.config, { rate, status: 429 })).toBe(true);
    for (const rate of ['10', '10/s', 'ps', '1.5ps', '10PS', '-1pm', '']) expect(Value.Check(spikeArrest.config, { rate, status: 429 })).toBe(false);
  });

  it('refuses to deploy a rate of zero, or one faster than the millisecond clock', () => {
    expect(() => step({ rate: '0pm' }, policyDeps())).toThrow(PolicyConfigError);
    expect(() => step({ rate: '1001ps' }, policyDeps())).toThrow(/at most 1000ps/);
  });
});
