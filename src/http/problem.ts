// Renders any error as RFC 9457 problem+json with a stable code; the one place the management APIs do so.
import { Type, type Static } from '@sinclair/typebox';
import { errorCatalogue, GatehouseError, type ErrorCode } from '../errors.ts';

export const Problem = Type.Object(
  {
    type: Type.String({ description: '`urn:gatehouse:error:<code>`.' }),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.String({ description: 'What went wrong, for people.' }),
    code: Type.String({ description: 'Stable error code, e.g. `product.unknown_api`; see the error reference.' }),
    instance: Type.String({ description: 'The request path.' }),
    requestId: Type.String({ description: 'Quote it when reporting a problem; the server log has the same id.' }),
    errors: Type.Optional(
      Type.Array(Type.Object({ path: Type.String(), message: Type.String() }), { description: 'Each invalid field, with a JSON pointer to it.' }),
    ),
  },
  { additionalProperties: true, description: 'An RFC 9457 problem document.' },
);
export type Problem = Static<typeof Problem>;

export const PROBLEM_CONTENT_TYPE = 'application/problem+json; charset=utf-8';

/** Errors raised by Fastify itself, mapped to our codes. */
const FASTIFY_CODES: Record<string, ErrorCode> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'request.body_too_large',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'request.unsupported_media_type',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'request.invalid',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'request.malformed_json',
  FST_ERR_CTP_INVALID_JSON_BODY: 'request.malformed_json',
  FST_ERR_CTP_INVALID_TYPE: 'request.invalid',
  FST_ERR_VALIDATION: 'request.invalid',
};

export interface FieldProblem {
  path: string;
  message: string;
}

/** Turns whatever was thrown into a GatehouseError; anything unexpected becomes `internal`. */
export function toGatehouseError(error: unknown): GatehouseError {
  if (error instanceof GatehouseError) return error;
  const e = error as { code?: string; statusCode?: number; message?: string };
  const mapped = e?.code ? FASTIFY_CODES[e.code] : undefined;
  if (mapped) return new GatehouseError(mapped, friendlyFastifyMessage(e.code ?? '', e.message ?? ''));
  if (e?.statusCode === 404) return new GatehouseError('request.not_found', e.message ?? 'Not found.');
  // @fastify/static refuses paths that climb out of its folder with 403: to a visitor, there is simply nothing there.
  if (e?.code === 'FST_STATIC_FORBIDDEN_PATH') return new GatehouseError('request.not_found', 'Not found.');
  return new GatehouseError('internal', 'An unexpected error occurred.', { cause: error });
}

function friendlyFastifyMessage(code: string, message: string): string {
  switch (code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return 'The request body is larger than the 1 MiB this API accepts.';
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return 'Send the body as JSON with `Content-Type: application/json`.';
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return 'The body is empty; send a JSON document.';
    default:
      return message;
  }
}

export function problemBody(error: GatehouseError, instance: string, requestId: string): Problem {
  const spec = errorCatalogue[error.code];
  const body: Problem = {
    type: `urn:gatehouse:error:${error.code}`,
    title: spec.title,
    status: error.status,
    // 5xx details may carry internals: the client gets the request id instead.
    detail: error.expose ? error.message : `${spec.title}. Quote request id ${requestId} when reporting it.`,
    code: error.code,
    instance,
    requestId,
  };
  if (error.expose && error.details) Object.assign(body, error.details);
  return body;
}
