// Reading and changing an API's flows without mutating them: where a step lives, and the spec as it will be saved.
import type { ApiSpec, ApiView, ConditionalFlow, Step } from '../../../../src/model/api.ts';

export type Leg = 'request' | 'response';
export type FlowRef = { kind: 'preFlow' } | { kind: 'postFlow' } | { kind: 'flow'; index: number };
export interface StepRef {
  flow: FlowRef;
  leg: Leg;
  index: number;
}

export function stepsAt(spec: ApiSpec, flow: FlowRef, leg: Leg): Step[] {
  if (flow.kind === 'flow') return spec.flows?.[flow.index]?.[leg] ?? [];
  return spec[flow.kind]?.[leg] ?? [];
}

export function withSteps(spec: ApiSpec, flow: FlowRef, leg: Leg, steps: Step[]): ApiSpec {
  if (flow.kind === 'flow') {
    const flows = [...(spec.flows ?? [])];
    const current = flows[flow.index];
    if (!current) return spec;
    const next = { ...current, [leg]: steps };
    keys.set(next, keyOf(current));
    flows[flow.index] = next;
    return { ...spec, flows };
  }
  return { ...spec, [flow.kind]: { ...(spec[flow.kind] ?? {}), [leg]: steps } };
}

export function withFlows(spec: ApiSpec, flows: ConditionalFlow[]): ApiSpec {
  return { ...spec, flows };
}

export function flowLabel(spec: ApiSpec, flow: FlowRef, leg: Leg): string {
  const where = flow.kind === 'preFlow' ? 'PreFlow' : flow.kind === 'postFlow' ? 'PostFlow' : `flow “${spec.flows?.[flow.index]?.name ?? flow.index + 1}”`;
  return `${where}, ${leg}`;
}

export function allSteps(spec: ApiSpec): Step[] {
  const out: Step[] = [];
  for (const pair of [spec.preFlow, spec.postFlow, ...(spec.flows ?? [])]) out.push(...(pair?.request ?? []), ...(pair?.response ?? []));
  for (const rule of spec.faultRules ?? []) out.push(...rule.steps);
  out.push(...(spec.defaultFaultRule?.steps ?? []));
  return out;
}

/** `oauth-v2`, then `oauth-v2-2`, … : step names are how traces and errors point at a step. */
export function uniqueStepName(spec: ApiSpec, policy: string): string {
  const taken = new Set(allSteps(spec).map((s) => s.name));
  if (!taken.has(policy)) return policy;
  for (let i = 2; ; i++) if (!taken.has(`${policy}-${i}`)) return `${policy}-${i}`;
}

export function uniqueFlowName(spec: ApiSpec): string {
  const taken = new Set((spec.flows ?? []).map((f) => f.name));
  for (let i = (spec.flows?.length ?? 0) + 1; ; i++) if (!taken.has(`flow-${i}`)) return `flow-${i}`;
}

export function move<T>(items: readonly T[], from: number, to: number): T[] {
  if (to < 0 || to >= items.length) return [...items];
  const next = [...items];
  const [item] = next.splice(from, 1);
  if (item !== undefined) next.splice(to, 0, item);
  return next;
}

/** The editable part of an API view: what PUT takes. */
export function specOf(view: ApiView): ApiSpec {
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  const { revision, latestRevision, deployedRevision, createdAt, updatedAt, ...spec } = view;
  return spec;
}

function cleanStep(step: Step): Step {
  const out: Step = { policy: step.policy };
  if (step.name) out.name = step.name;
  if (step.condition && step.condition.trim() !== '') out.condition = step.condition;
  if (step.continueOnError) out.continueOnError = true;
  if (step.config && Object.keys(step.config).length > 0) out.config = step.config;
  return out;
}

function cleanPair<T extends { request?: Step[]; response?: Step[] }>(pair: T | undefined): T | undefined {
  if (!pair) return undefined;
  const out = { ...pair };
  for (const leg of ['request', 'response'] as const) {
    const steps = pair[leg];
    if (!steps || steps.length === 0) delete out[leg];
    else out[leg] = steps.map(cleanStep);
  }
  return out;
}

/** The spec without empty leftovers of editing (empty flows, blank conditions), so saving only saves intent. */
export function cleanSpec(spec: ApiSpec): ApiSpec {
  const out: ApiSpec = { ...spec };
  for (const key of ['displayName', 'description'] as const) if (!out[key]) delete out[key];
  for (const key of ['preFlow', 'postFlow'] as const) {
    const pair = cleanPair(spec[key]);
    if (!pair || Object.keys(pair).length === 0) delete out[key];
    else out[key] = pair;
  }
  if (!spec.flows || spec.flows.length === 0) delete out.flows;
  else
    out.flows = spec.flows.map((flow) => {
      const cleaned = cleanPair(flow) ?? flow;
      const next: ConditionalFlow = { ...cleaned };
      if (!next.condition || next.condition.trim() === '') delete next.condition;
      if (!next.description) delete next.description;
      return next;
    });
  if (out.target === undefined) delete out.target;
  return out;
}

/** Stable keys for steps and flows across moves (objects keep their identity when only their place changes). */
const keys = new WeakMap<object, string>();
let counter = 0;
export function keyOf(item: object): string {
  let key = keys.get(item);
  if (!key) {
    key = `k${++counter}`;
    keys.set(item, key);
  }
  return key;
}

/** Replaces one step; the new object keeps the old one's key, so its card does not remount on every keystroke. */
export function replaceStep(spec: ApiSpec, ref: StepRef, step: Step): ApiSpec {
  const steps = stepsAt(spec, ref.flow, ref.leg);
  const old = steps[ref.index];
  if (old) keys.set(step, keyOf(old));
  return withSteps(spec, ref.flow, ref.leg, steps.map((s, i) => (i === ref.index ? step : s)));
}

export function replaceFlow(spec: ApiSpec, index: number, flow: ConditionalFlow): ApiSpec {
  const flows = spec.flows ?? [];
  const old = flows[index];
  if (old) keys.set(flow, keyOf(old));
  return withFlows(spec, flows.map((f, i) => (i === index ? flow : f)));
}
