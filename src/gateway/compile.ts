// Compiles an API revision once, at deploy: conditions into functions, each step's config validated and turned
// into its per-message function by its policy. If it compiles, it runs; if not, the deploy says where.
import { Value } from '@sinclair/typebox/value';
import { GatehouseError } from '../errors.ts';
import type { ApiSpec, Step } from '../model/api.ts';
import { PolicyConfigError, type PolicyDeps, type PolicyRegistry, type StepFunction, type StepPlacement } from '../policies/policy.ts';
import { compileCondition, ConditionError, type Condition } from './conditions/index.ts';
import type { ApiIdentity } from './context.ts';
import { TargetClient, type TargetPools } from './target.ts';

export interface CompiledStep {
  readonly name: string;
  readonly policy: string;
  readonly condition: Condition | undefined;
  readonly continueOnError: boolean;
  readonly run: StepFunction;
}

export interface CompiledFlow {
  readonly name: string;
  readonly condition: Condition | undefined;
  readonly request: readonly CompiledStep[];
  readonly response: readonly CompiledStep[];
}

export interface CompiledApi {
  readonly identity: ApiIdentity;
  /** The revision's spec as written (the OAuth metadata and the hub read where endpoints are from it). */
  readonly spec: ApiSpec;
  readonly target: TargetClient | undefined;
  readonly faultFormat: 'gatehouse' | 'apigee';
  readonly preFlow: CompiledFlow;
  readonly flows: readonly CompiledFlow[];
  readonly postFlow: CompiledFlow;
  readonly faultRules: ReadonlyArray<{ name: string; condition: Condition | undefined; steps: readonly CompiledStep[] }>;
  readonly defaultFaultRule: { steps: readonly CompiledStep[]; alwaysEnforce: boolean } | undefined;
  /**
   * True when no flow has a response step: then nothing can change the target's answer, and the gateway streams it to
   * the client as it arrives, without a stream object of its own in between (the fastest way undici offers).
   */
  readonly streamsTargetDirectly: boolean;
  /**
   * True when the revision has no steps at all, only a target: a plain proxy. The gateway then relays the call at
   * once, without running the (empty) flows; fault rules still shape a target failure.
   */
  readonly passesThrough: boolean;
}

export interface CompileDeps {
  readonly policies: PolicyRegistry;
  readonly policyDeps: PolicyDeps;
  readonly pools: TargetPools;
}

interface Problem {
  path: string;
  message: string;
}

class Compiler {
  readonly problems: Problem[] = [];
  readonly #counts = new Map<string, number>();
  readonly #deps: CompileDeps;
  readonly #api: string;

  constructor(deps: CompileDeps, api: string) {
    this.#deps = deps;
    this.#api = api;
  }

  condition(text: string | undefined, path: string): Condition | undefined {
    if (text === undefined || text.trim() === '') return undefined;
    try {
      return compileCondition(text);
    } catch (error: unknown) {
      if (error instanceof ConditionError) {
        this.problems.push({ path, message: error.message });
        return undefined;
      }
      throw error;
    }
  }

  steps(steps: readonly Step[] | undefined, path: string, phase: StepPlacement['phase']): CompiledStep[] {
    return (steps ?? []).flatMap((step, index) => {
      const compiled = this.step(step, `${path}/${index}`, phase);
      return compiled ? [compiled] : [];
    });
  }

  step(step: Step, path: string, phase: StepPlacement['phase']): CompiledStep | undefined {
    const policy = this.#deps.policies.get(step.policy);
    const condition = this.condition(step.condition, `${path}/condition`);
    if (!policy) {
      const known = [...this.#deps.policies.keys()].sort().join(', ');
      this.problems.push({ path: `${path}/policy`, message: `unknown policy '${step.policy}'; known policies: ${known}` });
      return undefined;
    }
    const count = (this.#counts.get(step.policy) ?? 0) + 1;
    this.#counts.set(step.policy, count);
    const name = step.name ?? (count === 1 ? step.policy : `${step.policy}-${count}`);
    const config = Value.Default(policy.config, structuredClone(step.config ?? {}));
    if (!Value.Check(policy.config, config)) {
      // TypeBox may report one field twice (required, then its type): keep the first word on each.
      const seen = new Set<string>();
      for (const error of Value.Errors(policy.config, config)) {
        if (seen.has(error.path)) continue;
        seen.add(error.path);
        this.problems.push({ path: `${path}/config${error.path}`, message: error.message.charAt(0).toLowerCase() + error.message.slice(1) });
        if (seen.size === 5) break;
      }
      return undefined;
    }
    try {
      const run = policy.create(config, this.#deps.policyDeps, { api: this.#api, stepName: name, phase });
      return { name, policy: step.policy, condition, continueOnError: step.continueOnError ?? false, run };
    } catch (error) {
      if (error instanceof PolicyConfigError) {
        this.problems.push({ path: `${path}/config`, message: error.message });
        return undefined;
      }
      throw error;
    }
  }
}

/** Paths the gateway answers itself; an API there would never be reached. */
const RESERVED_PATHS = new Set(['/healthz', '/readyz']);

/** Compiles a revision for the gateway; throws `api.invalid` listing every problem with its place in the spec. */
export function compileApi(spec: ApiSpec, revision: number, deps: CompileDeps): CompiledApi {
  const c = new Compiler(deps, spec.name);
  if (RESERVED_PATHS.has(spec.basePath)) c.problems.push({ path: '/basePath', message: `${spec.basePath} is reserved for the gateway's health checks` });
  const pair = (flow: ApiSpec['preFlow'], path: string, name: string): CompiledFlow => ({
    name,
    condition: undefined,
    request: c.steps(flow?.request, `${path}/request`, 'request'),
    response: c.steps(flow?.response, `${path}/response`, 'response'),
  });
  const preFlow = pair(spec.preFlow, '/preFlow', 'PreFlow');
  const flows = (spec.flows ?? []).map((flow, i) => ({
    name: flow.name,
    condition: c.condition(flow.condition, `/flows/${i}/condition`),
    request: c.steps(flow.request, `/flows/${i}/request`, 'request'),
    response: c.steps(flow.response, `/flows/${i}/response`, 'response'),
  }));
  const postFlow = pair(spec.postFlow, '/postFlow', 'PostFlow');
  const faultRules = (spec.faultRules ?? []).map((rule, i) => ({
    name: rule.name,
    condition: c.condition(rule.condition, `/faultRules/${i}/condition`),
    steps: c.steps(rule.steps, `/faultRules/${i}/steps`, 'fault'),
  }));
  const defaultFaultRule = spec.defaultFaultRule
    ? { steps: c.steps(spec.defaultFaultRule.steps, '/defaultFaultRule/steps', 'fault'), alwaysEnforce: spec.defaultFaultRule.alwaysEnforce ?? false }
    : undefined;
  if (c.problems.length > 0) {
    const first = c.problems[0] as Problem;
    throw new GatehouseError('api.invalid', `API '${spec.name}' cannot be deployed: ${first.path}: ${first.message}${c.problems.length > 1 ? ` (and ${c.problems.length - 1} more)` : ''}.`, {
      details: { errors: c.problems },
    });
  }
  const allFlows = [preFlow, postFlow, ...flows];
  const streamsTargetDirectly = spec.target !== undefined && allFlows.every((flow) => flow.response.length === 0);
  return {
    identity: { name: spec.name, revision, basePath: spec.basePath },
    spec,
    target: spec.target ? new TargetClient(spec.target, deps.pools) : undefined,
    faultFormat: spec.faultFormat ?? 'gatehouse',
    preFlow,
    flows,
    postFlow,
    faultRules,
    defaultFaultRule,
    streamsTargetDirectly,
    passesThrough: streamsTargetDirectly && allFlows.every((flow) => flow.request.length === 0),
  };
}
