// The json-threat-protection policy (Apigee JSONThreatProtection): checks a JSON body's structure against limits
// with a scanner that builds nothing and stops at the first violation.
import { PolicyConfigError, StepFault, type PolicyDefinition, type StepFunction } from '../policy.ts';
import { JsonThreatProtectionConfig } from './config.ts';
import { scanJson, type JsonLimits, type LimitName } from './scan.ts';

const LIMITS: Record<LimitName, { faultName: string; describe: (max: number) => string }> = {
  arrayElementCount: { faultName: 'ExceededArrayElementCount', describe: (max) => `an array has more than ${max} elements` },
  containerDepth: { faultName: 'ExceededContainerDepth', describe: (max) => `containers nest deeper than ${max}` },
  objectEntryCount: { faultName: 'ExceededObjectEntryCount', describe: (max) => `an object has more than ${max} entries` },
  objectEntryNameLength: { faultName: 'ExceededObjectEntryNameLength', describe: (max) => `an entry name is longer than ${max} characters` },
  stringValueLength: { faultName: 'ExceededStringValueLength', describe: (max) => `a string is longer than ${max} characters` },
};

const APIGEE_CODE = 'steps.jsonthreatprotection.ExecutionFailed';

/** `application/json`, `application/problem+json`, `application/vnd.api+json`, with or without parameters. */
function isJson(contentType: string | undefined): boolean {
  if (contentType === undefined) return false;
  const type = (contentType.split(';')[0] ?? '').trim().toLowerCase();
  return type === 'application/json' || type.endsWith('+json');
}

export const jsonThreatProtection: PolicyDefinition<typeof JsonThreatProtectionConfig> = {
  name: 'json-threat-protection',
  summary: 'Refuse JSON bodies that nest too deep or have too many or too long entries, arrays or strings, before anything parses them.',
  apigee: 'JSONThreatProtection',
  config: JsonThreatProtectionConfig,
  errors: [
    ...Object.entries(LIMITS).map(([limit, { faultName }]) => ({
      code: 'json-threat-protection.exceeded',
      status: 400,
      faultName,
      apigeeCode: APIGEE_CODE,
      when: `The body exceeds \`${limit}\` (400 also when the source is the response).`,
    })),
    { code: 'json-threat-protection.malformed', status: 400, faultName: 'ExecutionFailed', apigeeCode: APIGEE_CODE, when: 'The body has a JSON content type but is not valid JSON (RFC 8259).' },
  ],
  create(config, _deps, placement): StepFunction {
    const source = config.source ?? (placement.phase === 'request' ? 'request' : 'response');
    if (source === 'response' && placement.phase === 'request') throw new PolicyConfigError('source response needs a response, and the request flow has none yet: place this step in a response flow.');
    const limit = (value: number | undefined) => (value === undefined || value < 0 ? Number.POSITIVE_INFINITY : value);
    const limits: JsonLimits = {
      arrayElementCount: limit(config.arrayElementCount),
      containerDepth: limit(config.containerDepth),
      objectEntryCount: limit(config.objectEntryCount),
      objectEntryNameLength: limit(config.objectEntryNameLength),
      stringValueLength: limit(config.stringValueLength),
    };
    if (Object.values(limits).every((v) => v === Number.POSITIVE_INFINITY)) {
      throw new PolicyConfigError('no limit to check: give at least one of arrayElementCount, containerDepth, objectEntryCount, objectEntryNameLength, stringValueLength.');
    }
    return async function jsonThreatProtectionStep(context) {
      const message = source === 'request' ? context.request : context.response;
      if (!message || !isJson(message.header('content-type'))) return;
      const body = await message.readBody();
      if (body.length === 0) return;
      const result = scanJson(body, limits);
      if (result.ok) return;
      if (result.kind === 'malformed') {
        throw new StepFault({
          faultName: 'ExecutionFailed',
          code: 'json-threat-protection.malformed',
          apigeeCode: APIGEE_CODE,
          status: 400,
          message: `The ${source} body is not valid JSON: ${result.reason} at byte ${result.position}.`,
        });
      }
      const { faultName, describe } = LIMITS[result.limit];
      throw new StepFault({
        faultName,
        code: 'json-threat-protection.exceeded',
        apigeeCode: APIGEE_CODE,
        status: 400,
        message: `The ${source} body exceeds a JSON limit: ${describe(result.max)} (at byte ${result.position}).`,
      });
    };
  },
};
