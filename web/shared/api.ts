// The one way the web apps talk to their JSON API: same-origin fetch with the session cookie, the CSRF header on
// changes, and RFC 9457 problems turned into ProblemError with the server's stable code and message.

export interface Problem {
  type?: string;
  title?: string;
  status: number;
  detail?: string;
  code?: string;
  requestId?: string;
  details?: unknown;
  errors?: Array<{ path?: string; message: string }>;
}

export class ProblemError extends Error {
  readonly status: number;
  readonly code: string;
  readonly problem: Problem;
  constructor(problem: Problem) {
    super(problem.detail ?? problem.title ?? `Request failed with status ${problem.status}`);
    this.name = 'ProblemError';
    this.status = problem.status;
    this.code = problem.code ?? 'unknown';
    this.problem = problem;
  }
}

let csrfToken: string | undefined;

/** Remembers the CSRF token the session endpoint handed out; sent as `x-csrf-token` on every change. */
export function setCsrfToken(token: string | undefined): void {
  csrfToken = token;
}

/** Called when any request answers 401, so the app can return to its sign-in page. */
let onUnauthorized: (() => void) | undefined;
export function whenUnauthorized(handler: () => void): void {
  onUnauthorized = handler;
}

export interface RequestOptions {
  body?: unknown;
  headers?: Record<string, string>;
  /** Do not call the unauthorized handler on 401 (the sign-in form itself). */
  quiet401?: boolean;
}

export async function request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  return (await exchange<T>(method, path, options)).body;
}

/** The body and the ETag of an answer: send the ETag back as If-Match, so a save never overwrites someone else's change. */
export interface Versioned<T> {
  body: T;
  etag: string | undefined;
}

export async function exchange<T>(method: string, path: string, options: RequestOptions = {}): Promise<Versioned<T>> {
  const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && method !== 'HEAD' && csrfToken) headers['x-csrf-token'] = csrfToken;
  let response: Response;
  try {
    response = await fetch(`/api/v1${path}`, {
      method,
      headers,
      credentials: 'same-origin',
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
  } catch (error) {
    throw new ProblemError({ status: 0, code: 'network', detail: `Could not reach the server: ${(error as Error).message}` });
  }
  const etag = response.headers.get('etag') ?? undefined;
  if (response.status === 204) return { body: undefined as T, etag };
  const text = await response.text();
  let body: unknown = undefined;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  if (!response.ok) {
    if (response.status === 401 && !options.quiet401) onUnauthorized?.();
    const problem = (body && typeof body === 'object' ? body : {}) as Problem;
    throw new ProblemError({ ...problem, status: response.status, detail: problem.detail ?? (text.slice(0, 200) || response.statusText) });
  }
  return { body: body as T, etag };
}

export const api = {
  get: <T>(path: string, options?: RequestOptions) => request<T>('GET', path, options),
  post: <T>(path: string, body?: unknown, options?: RequestOptions) => request<T>('POST', path, { ...options, body }),
  put: <T>(path: string, body?: unknown, options?: RequestOptions) => request<T>('PUT', path, { ...options, body }),
  del: <T = void>(path: string, options?: RequestOptions) => request<T>('DELETE', path, options),
};

/** Path segment encoding for names and emails in URLs. */
export const seg = (value: string) => encodeURIComponent(value);
