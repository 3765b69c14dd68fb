// Turns a step's failure into the client's error response, in the API's fault format.
import { errorCatalogue, type ErrorCode } from '../errors.ts';
import { PROBLEM_CONTENT_TYPE } from '../http/problem.ts';
import { StepFault } from '../policies/policy.ts';
import type { MessageContext } from './context.ts';

/** Anything a step throws that is not a StepFault is a bug: the client gets a 500 with the request id only. */
export function toStepFault(error: unknown): { fault: StepFault; unexpected: boolean } {
  if (error instanceof StepFault) return { fault: error, unexpected: false };
  return {
    fault: new StepFault({ faultName: 'InternalError', code: 'internal', apigeeCode: 'messaging.runtime.InternalError', status: 500, message: 'An unexpected error occurred.' }),
    unexpected: true,
  };
}

/** Writes the fault into the context's response: Gatehouse's problem+json, Apigee's `{"fault":…}`, or the fault's own body. */
export function renderFault(context: MessageContext, fault: StepFault, format: 'gatehouse' | 'apigee'): void {
  const headers: Record<string, string> = { ...fault.headers };
  let body: object;
  if (fault.body) {
    body = fault.body;
    headers['content-type'] ??= 'application/json';
  } else if (format === 'apigee') {
    body = { fault: { faultstring: fault.message, detail: { errorcode: fault.apigeeCode } } };
    headers['content-type'] = 'application/json';
  } else {
    const spec = (errorCatalogue as Record<string, { title: string } | undefined>)[fault.code as ErrorCode];
    body = {
      type: `urn:gatehouse:error:${fault.code}`,
      title: spec?.title ?? fault.faultName,
      status: fault.status,
      detail: fault.status >= 500 && fault.code === 'internal' ? `An unexpected error occurred. Quote request id ${context.requestId} when reporting it.` : fault.message,
      code: fault.code,
      instance: context.request.path,
      requestId: context.requestId,
    };
    headers['content-type'] = PROBLEM_CONTENT_TYPE;
  }
  context.respond(fault.status, body, headers);
}
