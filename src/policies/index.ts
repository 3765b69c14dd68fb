// The built-in policies: the explicit list the gateway compiles steps against.
import { accessControl } from './access-control/index.ts';
import { assignMessage } from './assign-message/index.ts';
import { basicAuthentication } from './basic-authentication/index.ts';
import { cors } from './cors/index.ts';
import { extractVariables } from './extract-variables/index.ts';
import { jsonThreatProtection } from './json-threat-protection/index.ts';
import { keyValueMap } from './key-value-map/index.ts';
import { oauthV2 } from './oauth-v2/index.ts';
import { quota } from './quota/index.ts';
import { raiseFault } from './raise-fault/index.ts';
import { responseCache } from './response-cache/index.ts';
import { spikeArrest } from './spike-arrest/index.ts';
import { verifyApiKey } from './verify-api-key/index.ts';
import type { PolicyDefinition, PolicyRegistry } from './policy.ts';

export const BUILT_IN_POLICIES: readonly PolicyDefinition[] = [
  oauthV2,
  verifyApiKey,
  quota,
  spikeArrest,
  accessControl,
  basicAuthentication,
  assignMessage,
  raiseFault,
  cors,
  extractVariables,
  jsonThreatProtection,
  responseCache,
  keyValueMap,
] as unknown as PolicyDefinition[];

export function policyRegistry(policies: readonly PolicyDefinition[] = BUILT_IN_POLICIES): PolicyRegistry {
  return new Map(policies.map((p) => [p.name, p]));
}
