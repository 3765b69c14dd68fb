// The verify-api-key policy (Apigee VerifyAPIKey): the key (a credential's client id) must be live, its app and
// developer in good standing, and one of its products must cover this API, path and method (apigee-model.md §1.6-1.7).
import { Type } from '@sinclair/typebox';
import { callerOf, callerVariables, layerPerCredential } from '../caller-variables.ts';
import { keyRefusal } from '../key-refusal.ts';
import { coveringProduct } from '../product-match.ts';
import { StepFault, type KeyRecord, type PolicyDefinition, type StepFunction, type VariableValue } from '../policy.ts';

export const VerifyApiKeyConfig = Type.Object(
  {
    apiKey: Type.String({
      default: 'request.queryparam.apikey',
      pattern: '^[A-Za-z_][A-Za-z0-9_.-]*$',
      maxLength: 200,
      description:
        'Flow variable holding the key (Apigee `<APIKey ref>`): `request.queryparam.apikey` by default, `request.header.x-api-key` for a header. Only this variable is read, as in Apigee.',
    }),
  },
  { additionalProperties: false, description: "Verify an API key (Apigee VerifyAPIKey): the key is a credential's client id; one of its approved products must cover the call." },
);

type Refusal = 'revoked' | 'expired' | 'app' | 'developer';

/** Apigee's fault name and error code for each reason keyRefusal gives; checked in its order. */
function refusalKind(key: KeyRecord, now: number): Refusal {
  if (key.credentialStatus !== 'approved') return 'revoked';
  if (key.expiresAt !== null && key.expiresAt <= now) return 'expired';
  if (key.app.status !== 'approved') return 'app';
  if (key.developer.status !== 'active') return 'developer';
  return 'revoked';
}

const REFUSALS: Readonly<Record<Refusal, { faultName: string; apigeeCode: string }>> = {
  revoked: { faultName: 'ApiKeyNotApproved', apigeeCode: 'oauth.v2.ApiKeyNotApproved' },
  expired: { faultName: 'ApiKeyNotApproved', apigeeCode: 'oauth.v2.ApiKeyNotApproved' },
  app: { faultName: 'invalid_client-app_not_approved', apigeeCode: 'keymanagement.service.invalid_client-app_not_approved' },
  developer: { faultName: 'DeveloperStatusNotActive', apigeeCode: 'keymanagement.service.DeveloperStatusNotActive' },
};

export const verifyApiKey: PolicyDefinition<typeof VerifyApiKeyConfig> = {
  name: 'verify-api-key',
  summary: "Verify the API key of a call (a credential's client id) against the app, its developer and its products; identifies the caller for quotas and analytics.",
  apigee: 'VerifyAPIKey',
  config: VerifyApiKeyConfig,
  errors: [
    { code: 'verify-api-key.missing', status: 401, faultName: 'FailedToResolveAPIKey', apigeeCode: 'steps.oauth.v2.FailedToResolveAPIKey', when: 'The `apiKey` variable is not set or empty: the call carries no key.' },
    { code: 'verify-api-key.invalid', status: 401, faultName: 'InvalidApiKey', apigeeCode: 'oauth.v2.InvalidApiKey', when: 'No credential has this key.' },
    {
      code: 'verify-api-key.not_approved',
      status: 401,
      faultName: 'ApiKeyNotApproved',
      apigeeCode: 'oauth.v2.ApiKeyNotApproved',
      when: 'The credential is revoked or expired; or its app is revoked (fault name `invalid_client-app_not_approved`, error code `keymanagement.service.invalid_client-app_not_approved`); or its developer is inactive (`DeveloperStatusNotActive`, `keymanagement.service.DeveloperStatusNotActive`).',
    },
    {
      code: 'verify-api-key.no_product_match',
      status: 401,
      faultName: 'InvalidApiKeyForGivenResource',
      apigeeCode: 'oauth.v2.InvalidApiKeyForGivenResource',
      when: "None of the credential's approved products covers this API, path and method.",
    },
  ],
  variables: {
    client_id: 'The key: the client id of the credential.',
    'developer.app.name': "The app's name (also `app.name`, `developer.app.id`, `app.id`, `app.status`, and its custom attributes as `app.<name>`).",
    'developer.email': "The developer's email (also `developer.id`, `developer.firstName`, `developer.lastName`, `developer.status`, and custom attributes as `developer.<name>`).",
    'apiproduct.name': 'The product that covered the call (and its custom attributes as `apiproduct.<name>`).',
    'apiproduct.developer.quota.limit': "The product's quota, with `.interval` and `.timeunit`, for quota steps.",
    'verifyapikey.<step>.*': 'Each of the above again under the step\'s prefix, e.g. `verifyapikey.<step>.client_id`, plus `.status` (`approved`) and `.expires_at` (ms since the epoch, -1 = never).',
    'verifyapikey.<step>.failed': 'true when the step refused the call.',
  },
  create(config, deps, placement): StepFunction {
    const keys = deps.keys;
    const variable = config.apiKey;
    const prefix = `verifyapikey.${placement.stepName}.`;
    const failed = `${prefix}failed`;
    // A credential's variables are the same on every call it covers: computed once per cached key record and product.
    const variablesFor = layerPerCredential((key, product) => {
      const plain = callerVariables(key, product);
      return new Map<string, VariableValue>([
        ...plain,
        ...plain.map(([name, value]) => [`${prefix}${name}`, value] as const),
        [`${prefix}status`, 'approved'],
        [`${prefix}expires_at`, key.expiresAt ?? -1],
      ]);
    });

    function refuse(context: Parameters<StepFunction>[0], fault: { code: string; faultName: string; apigeeCode: string; message: string }): never {
      context.set(failed, true);
      throw new StepFault({ ...fault, status: 401 });
    }

    return async function verifyApiKeyStep(context) {
      const value = context.get(variable);
      if (value === undefined || value === '') {
        refuse(context, { code: 'verify-api-key.missing', faultName: 'FailedToResolveAPIKey', apigeeCode: 'steps.oauth.v2.FailedToResolveAPIKey', message: `Failed to resolve API Key variable ${variable}` });
      }
      const key = await keys.find(String(value));
      if (!key) refuse(context, { code: 'verify-api-key.invalid', faultName: 'InvalidApiKey', apigeeCode: 'oauth.v2.InvalidApiKey', message: 'Invalid ApiKey' });
      const now = context.now();
      const refusal = keyRefusal(key, now);
      if (refusal) refuse(context, { code: 'verify-api-key.not_approved', ...REFUSALS[refusalKind(key, now)], message: `API key not approved: ${refusal}.` });
      const request = context.request;
      const product = coveringProduct(key.products, context.api.name, request.pathSuffix, request.method);
      if (!product) {
        refuse(context, {
          code: 'verify-api-key.no_product_match',
          faultName: 'InvalidApiKeyForGivenResource',
          apigeeCode: 'oauth.v2.InvalidApiKeyForGivenResource',
          message: `Invalid ApiKey for given resource: none of the key's products covers ${request.method} ${context.api.name}${request.pathSuffix}.`,
        });
      }
      context.setAll(variablesFor(key, product));
      context.caller = callerOf(key, product);
    };
  },
};
