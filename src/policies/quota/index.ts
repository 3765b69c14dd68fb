// The quota policy (Apigee Quota): counts calls per identifier in fixed windows and refuses those over the limit.
import type { WindowCount } from '../../counters/counters.ts';
import { UNIT_MS, windowMs } from '../../counters/windows.ts';
import { StepFault, type FlowContext, type PolicyDefinition, type StepFunction, type VariableLayer, type VariableValue } from '../policy.ts';
import { QuotaConfig } from './config.ts';

interface Allowance {
  limit: number;
  windowMs: number;
}

/** A non-negative integer from a flow variable (a number, or a string of digits), else undefined. */
function wholeNumber(value: VariableValue): number | undefined {
  if (typeof value === 'number') return Number.isSafeInteger(value) && value >= 0 ? value : undefined;
  if (typeof value === 'string' && /^\d{1,15}$/.test(value)) return Number(value);
  return undefined;
}

/** The product's quota, as a verify step left it in the flow variables; undefined when it has none (or it is unusable). */
function productAllowance(context: FlowContext): Allowance | undefined {
  const limit = wholeNumber(context.get('apiproduct.developer.quota.limit'));
  if (limit === undefined || limit < 1) return undefined;
  const unitMs = UNIT_MS[String(context.get('apiproduct.developer.quota.timeunit'))];
  if (unitMs === undefined) return undefined;
  const rawInterval = context.get('apiproduct.developer.quota.interval');
  const interval = rawInterval === undefined || rawInterval === '' ? 1 : wholeNumber(rawInterval);
  if (interval === undefined || interval < 1) return undefined;
  return { limit, windowMs: interval * unitMs };
}

function isPromise<T>(value: T | Promise<T>): value is Promise<T> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}

/** The names of one step's variables (`ratelimit.<step>.*`). */
interface QuotaNames {
  allowed: string;
  used: string;
  available: string;
  expiry: string;
  reset: string;
  identifier: string;
  failed: string;
  /** All but `failed`, which is set only on a refused call. */
  counted: readonly string[];
  refused: readonly string[];
}

function quotaNames(stepName: string): QuotaNames {
  const counted = ['allowed.count', 'used.count', 'available.count', 'expiry.time', 'reset.seconds', 'identifier'].map((n) => `ratelimit.${stepName}.${n}`);
  const [allowed, used, available, expiry, reset, identifier] = counted as [string, string, string, string, string, string];
  const failed = `ratelimit.${stepName}.failed`;
  return { allowed, used, available, expiry, reset, identifier, failed, counted, refused: [...counted, failed] };
}

/** One call's quota variables as a layer (FlowContext.setAll): one object per call, not a map entry per variable. */
class QuotaVariables implements VariableLayer {
  readonly #names: QuotaNames;
  readonly #limit: number;
  readonly #used: number;
  readonly #allowed: boolean;
  readonly #expiry: number;
  readonly #available: number;
  readonly #reset: number;
  readonly #identifier: string;

  constructor(names: QuotaNames, limit: number, result: WindowCount, available: number, reset: number, identifier: string) {
    this.#names = names;
    this.#limit = limit;
    this.#used = result.count;
    this.#allowed = result.allowed;
    this.#expiry = result.resetAt;
    this.#available = available;
    this.#reset = reset;
    this.#identifier = identifier;
  }

  has(name: string): boolean {
    return this.get(name) !== undefined;
  }

  get(name: string): VariableValue {
    const names = this.#names;
    switch (name) {
      case names.allowed:
        return this.#limit;
      case names.used:
        return this.#used;
      case names.available:
        return this.#available;
      case names.expiry:
        return this.#expiry;
      case names.reset:
        return this.#reset;
      case names.identifier:
        return this.#identifier;
      case names.failed:
        return this.#allowed ? undefined : true;
      default:
        return undefined;
    }
  }

  keys(): Iterable<string> {
    return this.#allowed ? this.#names.counted : this.#names.refused;
  }
}

export const quota: PolicyDefinition<typeof QuotaConfig> = {
  name: 'quota',
  summary: "Count calls per app (or any identifier) in fixed windows and refuse those over the limit; the product's quota wins when it has one.",
  apigee: 'Quota',
  config: QuotaConfig,
  errors: [
    {
      code: 'quota.exceeded',
      status: 429,
      faultName: 'QuotaViolation',
      apigeeCode: 'policies.ratelimit.QuotaViolation',
      when: 'The call does not fit in what is left of the window. The status is the step\'s `status` (429 by default, 500 like Apigee Edge); the response carries `RateLimit-Limit`, `RateLimit-Remaining`, `RateLimit-Reset` and `Retry-After`.',
    },
    {
      code: 'quota.invalid_weight',
      status: 500,
      faultName: 'InvalidMessageWeight',
      apigeeCode: 'policies.ratelimit.InvalidMessageWeight',
      when: 'The `weight` variable holds something other than a non-negative integer.',
    },
  ],
  variables: {
    'ratelimit.<step>.allowed.count': 'The limit that applied: the product\'s or the step\'s.',
    'ratelimit.<step>.used.count': 'Calls counted in the current window, this one included when it was allowed.',
    'ratelimit.<step>.available.count': 'Calls left in the current window.',
    'ratelimit.<step>.expiry.time': 'When the window ends, in milliseconds since the epoch.',
    'ratelimit.<step>.reset.seconds': 'Seconds until the window ends (the `RateLimit-Reset` value).',
    'ratelimit.<step>.identifier': 'The identifier the call was counted under.',
    'ratelimit.<step>.failed': 'true when the call was refused.',
  },
  create(config, deps, placement): StepFunction {
    const counters = deps.counters;
    const stepName = placement.stepName;
    const own: Allowance = { limit: config.limit, windowMs: windowMs(config.interval, config.timeUnit) };
    const apiPrefix = `quota:api:${placement.api}:${stepName}:`;
    const productScope = `:${stepName}:`;
    const identifierVariable = config.identifier;
    const weightVariable = config.weight;
    const useProductQuota = config.useProductQuota;
    const status = config.status;
    const rateLimitHeaders = config.rateLimitHeaders;
    const names = quotaNames(stepName);

    function identifierOf(context: FlowContext): string {
      if (identifierVariable !== undefined) {
        const value = context.get(identifierVariable);
        if (value !== undefined && value !== '') return String(value);
      }
      return context.caller?.clientId ?? context.request.clientIp;
    }

    function weightOf(context: FlowContext): number {
      if (weightVariable === undefined) return 1;
      const value = context.get(weightVariable);
      if (value === undefined || value === '') return 1;
      const weight = wholeNumber(value);
      if (weight === undefined) {
        throw new StepFault({
          faultName: 'InvalidMessageWeight',
          code: 'quota.invalid_weight',
          apigeeCode: 'policies.ratelimit.InvalidMessageWeight',
          status: 500,
          message: `Invalid message weight value ${String(value)}`,
        });
      }
      return weight;
    }

    function settle(context: FlowContext, limit: number, identifier: string, result: WindowCount): void {
      const now = context.now();
      const available = Math.max(0, limit - result.count);
      // RateLimit-Reset (draft-ietf-httpapi-ratelimit-headers-06) is delta-seconds to the window's end, rounded up.
      const reset = Math.max(1, Math.ceil((result.resetAt - now) / 1000));
      context.setAll(new QuotaVariables(names, limit, result, available, reset, identifier));
      if (!result.allowed) {
        throw new StepFault({
          faultName: 'QuotaViolation',
          code: 'quota.exceeded',
          apigeeCode: 'policies.ratelimit.QuotaViolation',
          status,
          message: `Rate limit quota violation. Quota limit exceeded. Identifier : ${identifier}`,
          // RFC 9110 §10.2.3: Retry-After in seconds; the window's end is when the call can fit again.
          headers: { 'ratelimit-limit': String(limit), 'ratelimit-remaining': String(available), 'ratelimit-reset': String(reset), 'retry-after': String(reset) },
        });
      }
      // Whatever response the client finally gets (the target's, or an error) says how much is left.
      if (!rateLimitHeaders) return;
      context.addResponseHeader('ratelimit-limit', String(limit));
      context.addResponseHeader('ratelimit-remaining', String(available));
      context.addResponseHeader('ratelimit-reset', String(reset));
    }

    return function quotaStep(context) {
      const product = useProductQuota ? productAllowance(context) : undefined;
      const productName = product ? context.caller?.product : undefined;
      const allowance = product ?? own;
      const identifier = identifierOf(context);
      const weight = weightOf(context);
      const key = productName !== undefined ? `quota:product:${productName}${productScope}${identifier}` : `${apiPrefix}${identifier}`;
      const counted = counters.hit(key, allowance.limit, allowance.windowMs, context.now(), weight);
      if (isPromise(counted)) return counted.then(function quotaCounted(result) {
        settle(context, allowance.limit, identifier, result);
      });
      settle(context, allowance.limit, identifier, counted);
    };
  },
};
