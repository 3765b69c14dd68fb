// The faults of the oauth-v2 step, with Apigee's fault names and error codes, and the RFC bodies to send.
import { StepFault } from '../policy.ts';

export type Dialect = 'rfc6749' | 'apigee';

/** RFC 6749 §5.2 errors of the token endpoint, in the step's dialect. */
export function tokenError(dialect: Dialect, error: 'invalid_request' | 'invalid_client' | 'invalid_grant' | 'unauthorized_client' | 'unsupported_grant_type' | 'invalid_scope', description: string, status = 400): StepFault {
  const apigeeCode = error === 'invalid_client' ? 'oauth.v2.InvalidClientIdentifier' : error === 'unsupported_grant_type' ? 'oauth.v2.UnSupportedGrantType' : `oauth.v2.${error}`;
  const headers: Record<string, string> = { 'cache-control': 'no-store', pragma: 'no-cache' };
  // RFC 6749 §5.2: a failed Basic authentication answers 401 with a WWW-Authenticate challenge.
  if (status === 401) headers['www-authenticate'] = 'Basic realm="gatehouse", charset="UTF-8"';
  return new StepFault({
    faultName: error === 'invalid_client' ? 'InvalidClientIdentifier' : error === 'unsupported_grant_type' ? 'UnSupportedGrantType' : error,
    code: `oauth.${error}`,
    apigeeCode,
    status,
    message: description,
    headers,
    // SAP/Edge's GenerateResponse shape (apigee-model.md §2.5) or RFC 6749's.
    body: dialect === 'apigee' ? { ErrorCode: error, Error: description } : { error, error_description: description },
  });
}

type BearerError = 'invalid_token' | 'insufficient_scope' | 'invalid_request';

/** RFC 6750 §3: bearer failures carry a WWW-Authenticate challenge naming the error. */
export function bearerFault(init: { error: BearerError; faultName: string; apigeeCode: string; code: string; status: number; message: string; scope?: string }): StepFault {
  const description = `${init.apigeeCode}: ${init.message}`.replace(/"/g, "'");
  const challenge = init.error === 'invalid_request' && init.status === 401
    ? 'Bearer realm="gatehouse"' // RFC 6750 §3.1: no error code when the request had no token at all
    : `Bearer realm="gatehouse", error="${init.error}", error_description="${description}"${init.scope ? `, scope="${init.scope}"` : ''}`;
  return new StepFault({ faultName: init.faultName, code: init.code, apigeeCode: init.apigeeCode, status: init.status, message: init.message, headers: { 'www-authenticate': challenge } });
}
