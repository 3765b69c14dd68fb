// Runs one call through an API: request flows, target, response flows; faults through fault rules.
import type { CompiledApi, CompiledFlow, CompiledStep } from './compile.ts';
import type { MessageContext } from './context.ts';
import { renderFault, toStepFault } from './faults.ts';
import { StepFault } from '../policies/policy.ts';
import type { MaybePromise } from '../util/maybe-promise.ts';

export interface FlowHooks {
  /** Called with errors that are bugs, not faults, for the log. */
  onUnexpected(error: unknown, context: MessageContext): void;
}

/**
 * Runs steps in order from `from`. Steps that finish at once are not awaited: an await costs a promise and a turn of
 * the queue even for a step that is already done. Returns undefined when every step finished at once, else a promise
 * of the rest.
 */
function runSteps(steps: readonly CompiledStep[], context: MessageContext, stopWhenResponded: boolean, from = 0): Promise<void> | undefined {
  for (let i = from; i < steps.length; i++) {
    if (stopWhenResponded && context.responded) return undefined;
    const step = steps[i] as CompiledStep;
    if (step.condition && !step.condition(context.read)) continue;
    let pending: void | Promise<void>;
    try {
      pending = step.run(context);
    } catch (error) {
      stepFailed(step, context, error);
      continue;
    }
    if (pending) {
      const next = i + 1;
      return pending.then(
        () => runSteps(steps, context, stopWhenResponded, next),
        (error: unknown) => {
          stepFailed(step, context, error);
          return runSteps(steps, context, stopWhenResponded, next);
        },
      );
    }
  }
  return undefined;
}

/** A step failed: the flow goes on when the step says continueOnError and this is a fault; otherwise this throws. */
function stepFailed(step: CompiledStep, context: MessageContext, error: unknown): void {
  if (!step.continueOnError || !(error instanceof StepFault)) throw error;
  // Apigee: continueOnError keeps the flow going and records the failure in `<policy>.<step>.failed`.
  context.set(`${step.policy}.${step.name}.failed`, true);
  context.set(`${step.policy}.${step.name}.fault.name`, error.faultName);
}

function matchFlow(api: CompiledApi, context: MessageContext): CompiledFlow | undefined {
  for (const flow of api.flows) if (!flow.condition || flow.condition(context.read)) return flow;
  return undefined;
}

/** The phases of a call, in order; runPhases goes through them from any one of them. */
const Phase = { PreFlowRequest: 0, FlowRequest: 1, PostFlowRequest: 2, Target: 3, PreFlowResponse: 4, FlowResponse: 5, PostFlowResponse: 6, Done: 7 } as const;

/**
 * Runs the call through the API. Answers true when the target's answer is being relayed straight to the client
 * (`context.direct`, which then hears of the end), false when the answer is in `context.response`, to be sent. The
 * answer comes at once, not as a promise, when nothing on the way had to wait (warm steps, a relayed target): a
 * promise and a turn of the queue per call saved.
 */
export function runApi(api: CompiledApi, context: MessageContext, hooks: FlowHooks): MaybePromise<boolean> {
  return runPhases(api, context, hooks, Phase.PreFlowRequest, undefined);
}

function runPhases(api: CompiledApi, context: MessageContext, hooks: FlowHooks, from: number, chosen: CompiledFlow | undefined): MaybePromise<boolean> {
  // The flow is chosen once, after the preFlow, and serves the request and the response alike.
  let flow = chosen;
  try {
    for (let phase = from; phase < Phase.Done; phase++) {
      let pending: Promise<void> | undefined;
      switch (phase) {
        case Phase.PreFlowRequest:
          pending = runSteps(api.preFlow.request, context, true);
          break;
        case Phase.FlowRequest:
          flow = api.flows.length > 0 ? matchFlow(api, context) : undefined;
          if (flow) pending = runSteps(flow.request, context, true);
          break;
        case Phase.PostFlowRequest:
          pending = runSteps(api.postFlow.request, context, true);
          break;
        case Phase.Target:
          if (context.responded) break;
          if (api.target && context.direct) {
            // No response step could see or change the answer: it goes to the client as it arrives, and that is all.
            api.target.relay(context, context.direct);
            return true;
          }
          if (api.target) pending = api.target.forward(context).then((response) => void (context.response = response));
          else context.respond(200); // no target and no step answered: Apigee's NoRoute answers empty
          break;
        case Phase.PreFlowResponse:
          pending = runSteps(api.preFlow.response, context, false);
          break;
        case Phase.FlowResponse:
          if (flow) pending = runSteps(flow.response, context, false);
          break;
        case Phase.PostFlowResponse:
          pending = runSteps(api.postFlow.response, context, false);
          break;
      }
      if (pending) {
        const next = phase + 1;
        const sameFlow = flow;
        return pending.then(
          () => runPhases(api, context, hooks, next, sameFlow),
          (error: unknown) => faulted(api, context, error, hooks),
        );
      }
    }
  } catch (error) {
    return faulted(api, context, error, hooks);
  }
  return false;
}

async function faulted(api: CompiledApi, context: MessageContext, error: unknown, hooks: FlowHooks): Promise<false> {
  await runFaultFlow(api, context, error, hooks);
  return false;
}

/** Answers a fault: renders it, then runs the fault rule that matches (and the default rule when it applies). */
export async function runFaultFlow(api: CompiledApi, context: MessageContext, error: unknown, hooks: FlowHooks): Promise<void> {
  const { fault, unexpected } = toStepFault(error);
  if (unexpected) hooks.onUnexpected(error, context);
  context.faultName = fault.faultName;
  context.faultCode = fault.code;
  renderFault(context, fault, api.faultFormat);
  let matched = false;
  // Gatehouse tries fault rules in the order written (Apigee evaluates a ProxyEndpoint's bottom to top; the
  // importer reverses them, so imported proxies behave the same).
  for (const rule of api.faultRules) {
    if (rule.condition && !rule.condition(context.read)) continue;
    matched = true;
    await runFaultSteps(rule.steps, api, context, hooks);
    break;
  }
  if (api.defaultFaultRule && (!matched || api.defaultFaultRule.alwaysEnforce)) await runFaultSteps(api.defaultFaultRule.steps, api, context, hooks);
}

/** Fault-rule steps shape the error response; a fault raised here replaces it and the later steps still run. */
async function runFaultSteps(steps: readonly CompiledStep[], api: CompiledApi, context: MessageContext, hooks: FlowHooks): Promise<void> {
  for (const step of steps) {
    if (step.condition && !step.condition(context.read)) continue;
    try {
      await step.run(context);
    } catch (error) {
      const { fault, unexpected } = toStepFault(error);
      if (unexpected) hooks.onUnexpected(error, context);
      renderFault(context, fault, api.faultFormat);
    }
  }
}
