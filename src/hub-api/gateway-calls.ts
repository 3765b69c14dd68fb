// Calls the developer hub makes to the gateway for a developer (a token request, the try-it console): only to the
// gateway's own address, with bounded bodies and a deadline, answered as data rather than passed through.
import { RELAY_HEADER } from '../gateway/context.ts';
import { request as undiciRequest, errors as undiciErrors } from 'undici';
import { GatehouseError } from '../errors.ts';
import type { Clock } from '../util/clock.ts';

/** How long a call may take, headers and body together. */
export const GATEWAY_CALL_TIMEOUT_MS = 10_000;

export interface GatewayCall {
  method: string;
  /** Path and query, starting with `/`: appended to the gateway's origin, never a URL of its own. */
  path: string;
  headers: Record<string, string>;
  body?: string | undefined;
  /** Bytes of the response body kept; the rest is dropped and `truncated` set. */
  maxResponseBytes: number;
  /** The developer's address, passed on as X-Forwarded-For so the gateway's IP rules may see who asks. */
  forwardedFor: string;
  /** The gateway's relay secret: with it, the gateway takes X-Forwarded-For as the caller's address. */
  relaySecret?: string | undefined;
}

export interface GatewayAnswer {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
  truncated: boolean;
  durationMs: number;
}

/** Headers the hub sets itself: the connection's own, and where the call comes from. */
const HUB_HEADERS = new Set([RELAY_HEADER, 'host', 'connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'te', 'trailer', 'upgrade', 'content-length', 'expect', 'forwarded']);

export function isHubHeader(name: string): boolean {
  const lower = name.toLowerCase();
  return HUB_HEADERS.has(lower) || lower.startsWith('x-forwarded-') || lower.startsWith('proxy-');
}

/**
 * The URL a path names on the gateway. WHATWG parsing resolves `..` segments, so the caller checks the result, and
 * a path that would leave the gateway's origin (`//host`, a backslash) is refused here as well.
 */
export function gatewayUrl(origin: string, path: string): URL {
  if (!path.startsWith('/') || path.startsWith('//') || path.includes('\\')) {
    throw new GatehouseError('request.invalid', `The path must start with a single '/'; got '${path.slice(0, 100)}'.`, { details: { errors: [{ path: '/path', message: "must start with a single '/'" }] } });
  }
  const base = new URL(origin);
  const url = new URL(`${base.origin}${path}`);
  if (url.origin !== base.origin) throw new GatehouseError('request.invalid', 'The path must stay on the gateway.', { details: { errors: [{ path: '/path', message: 'must stay on the gateway' }] } });
  return url;
}

function flatHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    flat[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return flat;
}

function isTimeout(error: unknown): boolean {
  if (error instanceof undiciErrors.HeadersTimeoutError || error instanceof undiciErrors.BodyTimeoutError || error instanceof undiciErrors.ConnectTimeoutError) return true;
  const name = (error as { name?: string } | null)?.name;
  return name === 'TimeoutError' || name === 'AbortError';
}

/** Makes one call to the gateway at `origin` and reads at most `maxResponseBytes` of its answer. */
export async function callGateway(origin: string, call: GatewayCall, clock: Clock): Promise<GatewayAnswer> {
  const url = gatewayUrl(origin, call.path);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(call.headers)) if (!isHubHeader(name)) headers[name.toLowerCase()] = value;
  headers['x-forwarded-for'] = call.forwardedFor;
  if (call.relaySecret !== undefined) headers[RELAY_HEADER] = call.relaySecret;
  const started = clock.now();
  const signal = AbortSignal.timeout(GATEWAY_CALL_TIMEOUT_MS);
  try {
    const response = await undiciRequest(url, {
      method: call.method as 'GET',
      headers,
      body: call.body === undefined || call.method === 'GET' || call.method === 'HEAD' ? undefined : call.body,
      signal,
      headersTimeout: GATEWAY_CALL_TIMEOUT_MS,
      bodyTimeout: GATEWAY_CALL_TIMEOUT_MS,
    });
    const chunks: Buffer[] = [];
    let size = 0;
    let truncated = false;
    for await (const chunk of response.body as AsyncIterable<Buffer>) {
      if (size + chunk.length > call.maxResponseBytes) {
        chunks.push(chunk.subarray(0, call.maxResponseBytes - size));
        truncated = true;
        break; // leaving the loop destroys the body: the rest is never read
      }
      chunks.push(chunk);
      size += chunk.length;
    }
    return { status: response.statusCode, headers: flatHeaders(response.headers), body: Buffer.concat(chunks), truncated, durationMs: clock.now() - started };
  } catch (error) {
    if (error instanceof GatehouseError) throw error;
    if (isTimeout(error)) throw new GatehouseError('hub.gateway_timeout', `The gateway did not answer ${call.method} ${url.pathname} within ${GATEWAY_CALL_TIMEOUT_MS / 1000} s.`, { cause: error });
    throw new GatehouseError('hub.gateway_unreachable', `The gateway could not be reached for ${call.method} ${url.pathname}.`, { cause: error });
  }
}

/** Whether a content type is text the console can show as is (else the body travels as base64). */
export function isTextual(contentType: string | undefined): boolean {
  if (contentType === undefined || contentType === '') return true;
  const type = contentType.split(';')[0]!.trim().toLowerCase();
  return type.startsWith('text/') || type.endsWith('+json') || type.endsWith('+xml') || ['application/json', 'application/xml', 'application/javascript', 'application/x-www-form-urlencoded', 'application/problem+json', 'application/graphql'].includes(type);
}

/** A body read as text when it is text, else as base64. */
export function bodyAsText(body: Buffer, contentType: string | undefined): { body: string; bodyEncoding: 'utf8' | 'base64' } {
  return isTextual(contentType) ? { body: body.toString('utf8'), bodyEncoding: 'utf8' } : { body: body.toString('base64'), bodyEncoding: 'base64' };
}
