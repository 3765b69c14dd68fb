// The spike-arrest policy (Apigee SpikeArrest): smooths bursts by allowing one call per slice of the rate's period.
import { Type } from '@sinclair/typebox';
import { PolicyConfigError, StepFault, type FlowContext, type PolicyDefinition, type StepFunction } from '../policy.ts';

const VariableName = (description: string) => Type.String({ pattern: '^[A-Za-z_][A-Za-z0-9_.-]*$', maxLength: 200, description });

export const SpikeArrestConfig = Type.Object(
  {
    rate: Type.String({
      pattern: '^[0-9]{1,9}(ps|pm)$',
      description:
        'Calls per second (`10ps`) or per minute (`30pm`), smoothed as Apigee does: `10ps` allows one call every 100 ms, `30pm` one every 2 s, so a burst of calls is refused even when the total stays under the rate. At most `1000ps` (the clock counts milliseconds).',
    }),
    identifier: Type.Optional(
      VariableName('Flow variable whose value gets its own allowance (Apigee `<Identifier ref>`), e.g. `client_id`. Absent, or not set on a call: one allowance for the whole API.'),
    ),
    status: Type.Integer({
      default: 429,
      minimum: 400,
      maximum: 599,
      description: 'Status of the violation. 429 (RFC 6585, as Apigee X) by default; 500 answers like Apigee Edge and SAP API Management.',
    }),
  },
  { additionalProperties: false, description: 'Smooth traffic spikes (Apigee SpikeArrest): calls closer together than the rate allows are refused with `Retry-After`.' },
);

export const spikeArrest: PolicyDefinition<typeof SpikeArrestConfig> = {
  name: 'spike-arrest',
  summary: 'Smooth traffic spikes: allow calls no closer together than the rate (`10ps`, `30pm`) allows, for the whole API or per identifier.',
  apigee: 'SpikeArrest',
  config: SpikeArrestConfig,
  errors: [
    {
      code: 'spike-arrest.exceeded',
      status: 429,
      faultName: 'SpikeArrestViolation',
      apigeeCode: 'policies.ratelimit.SpikeArrestViolation',
      when: "The call came sooner after the last allowed one than the rate allows. The status is the step's `status` (429 by default, 500 like Apigee Edge); `Retry-After` says when to try again, in whole seconds.",
    },
  ],
  variables: {
    'ratelimit.<step>.failed': 'true when the call was refused.',
  },
  create(config, deps, placement): StepFunction {
    const amount = Number(config.rate.slice(0, -2));
    const perSecond = config.rate.endsWith('ps');
    if (amount === 0) throw new PolicyConfigError(`rate '${config.rate}' allows no calls at all; to refuse every call, use a raise-fault step.`);
    const intervalMs = (perSecond ? 1000 : 60_000) / amount;
    if (intervalMs < 1) throw new PolicyConfigError(`rate '${config.rate}' is more than 1000 calls per second, which the millisecond clock cannot smooth; use at most 1000ps.`);
    const counters = deps.counters;
    const rate = config.rate;
    const status = config.status;
    const identifierVariable = config.identifier;
    const apiKey = `spike-arrest:${placement.api}:${placement.stepName}`;
    const identifiedPrefix = `${apiKey}:`;
    const failed = `ratelimit.${placement.stepName}.failed`;

    function keyOf(context: FlowContext): string {
      if (identifierVariable === undefined) return apiKey;
      const value = context.get(identifierVariable);
      return value === undefined || value === '' ? apiKey : `${identifiedPrefix}${String(value)}`;
    }

    function settle(context: FlowContext, waitMs: number): void {
      if (waitMs <= 0) return;
      context.set(failed, true);
      throw new StepFault({
        faultName: 'SpikeArrestViolation',
        code: 'spike-arrest.exceeded',
        apigeeCode: 'policies.ratelimit.SpikeArrestViolation',
        status,
        message: `Spike arrest violation. Allowed rate : ${rate}`,
        // RFC 9110 §10.2.3: delay-seconds is a whole number; round up so a retry at that time is allowed.
        headers: { 'retry-after': String(Math.ceil(waitMs / 1000)) },
      });
    }

    return function spikeArrestStep(context) {
      const waited = counters.smooth(keyOf(context), intervalMs, context.now());
      if (typeof waited === 'number') return settle(context, waited);
      return waited.then(function spikeArrestCounted(waitMs) {
        settle(context, waitMs);
      });
    };
  },
};
