// Runs one call through an API: request flows, target, response flows; faults through fault rules.
import type { CompiledApi, CompiledFlow, CompiledStep } from './compile.ts';
import type { MessageContext } from './context.ts';
import { renderFault, toStepFault } from './faults.ts';
import { StepFault } from '../policies/policy.ts';

export interface FlowHooks {
  /** Called with errors that are bugs, not faults, for the log. */
  onUnexpected(error: unknown, context: MessageContext): void;
}

async function runSteps(steps: readonly CompiledStep[], context: MessageContext, stopWhenResponded: boolean): Promise<void> {
  for (const step of steps) {
    if (stopWhenResponded && context.responded) return;
    if (step.condition && !step.condition(context.read)) continue;
    try {
      await step.run(context);
    } catch (error) {
      if (step.continueOnError && error instanceof StepFault) {
        // Apigee: continueOnError keeps the flow going and records the failure in `<policy>.<step>.failed`.
        context.set(`${step.policy}.${step.name}.failed`, true);
        context.set(`${step.policy}.${step.name}.fault.name`, error.faultName);
        continue;
      }
      throw error;
    }
  }
}

function matchFlow(api: CompiledApi, context: MessageContext): CompiledFlow | undefined {
  for (const flow of api.flows) if (!flow.condition || flow.condition(context.read)) return flow;
  return undefined;
}

export async function runApi(api: CompiledApi, context: MessageContext, hooks: FlowHooks): Promise<void> {
  let flow: CompiledFlow | undefined;
  try {
    // Empty lists are skipped without an await: each await of an async call costs a promise and a turn of the queue.
    if (api.preFlow.request.length > 0) await runSteps(api.preFlow.request, context, true);
    // The flow is chosen once, after the preFlow, and serves the request and the response alike.
    flow = api.flows.length > 0 ? matchFlow(api, context) : undefined;
    if (flow && flow.request.length > 0) await runSteps(flow.request, context, true);
    if (api.postFlow.request.length > 0) await runSteps(api.postFlow.request, context, true);
    if (!context.responded) {
      if (api.target && context.direct) {
        // No response step could see or change the answer: it goes to the client as it arrives, and that is all.
        await api.target.stream(context, context.direct);
        return;
      }
      if (api.target) context.response = await api.target.forward(context);
      else context.respond(200); // no target and no step answered: Apigee's NoRoute answers empty
    }
    if (api.preFlow.response.length > 0) await runSteps(api.preFlow.response, context, false);
    if (flow && flow.response.length > 0) await runSteps(flow.response, context, false);
    if (api.postFlow.response.length > 0) await runSteps(api.postFlow.response, context, false);
  } catch (error) {
    await runFault(api, context, error, hooks);
  }
}

async function runFault(api: CompiledApi, context: MessageContext, error: unknown, hooks: FlowHooks): Promise<void> {
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
