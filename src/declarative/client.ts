// The management API as `apply` and `export` see it: JSON over HTTP, problems turned into readable errors.

export interface ApiResponse {
  status: number;
  body: unknown;
}

export interface ManagementClient {
  /** Sends one request; resolves with any status (callers decide what a 404 means). */
  send(method: string, path: string, body?: unknown): Promise<ApiResponse>;
}

/** Raised when the management API refuses a step; carries the problem's code and detail. */
export class ManagementError extends Error {
  readonly status: number;
  readonly code: string | undefined;
  constructor(status: number, code: string | undefined, message: string) {
    super(message);
    this.name = 'ManagementError';
    this.status = status;
    this.code = code;
  }
}

export async function expectOk<T>(client: ManagementClient, method: string, path: string, body?: unknown): Promise<T> {
  const response = await client.send(method, path, body);
  if (response.status >= 200 && response.status < 300) return response.body as T;
  throw problemError(method, path, response);
}

/** GET that reads 404 as "absent". */
export async function getOptional<T>(client: ManagementClient, path: string): Promise<T | undefined> {
  const response = await client.send('GET', path);
  if (response.status === 404) return undefined;
  if (response.status >= 200 && response.status < 300) return response.body as T;
  throw problemError('GET', path, response);
}

export function problemError(method: string, path: string, response: ApiResponse): ManagementError {
  const problem = (response.body ?? {}) as { code?: string; detail?: string; errors?: Array<{ path: string; message: string }> };
  const fields = problem.errors?.map((e) => `\n    ${e.path}: ${e.message}`).join('') ?? '';
  const detail = problem.detail ?? `HTTP ${response.status}`;
  return new ManagementError(response.status, problem.code, `${method} ${path} failed: ${detail}${problem.code ? ` [${problem.code}]` : ''}${fields}`);
}

/** A client over fetch, for the CLI. */
export function httpClient(baseUrl: string, token: string): ManagementClient {
  const root = baseUrl.replace(/\/+$/, '');
  return {
    async send(method, path, body) {
      let response: Response;
      try {
        response = await fetch(`${root}/api/v1${path}`, {
          method,
          headers: {
            authorization: `Bearer ${token}`,
            accept: 'application/json',
            ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
      } catch (error) {
        const cause = (error as { cause?: { code?: string } }).cause?.code;
        throw new ManagementError(0, undefined, `Cannot reach the management API at ${root}${cause ? ` (${cause})` : ''}. Is Gatehouse running? Set --url or GATEHOUSE_URL.`);
      }
      const text = await response.text();
      let parsed: unknown = undefined;
      if (text) {
        try {
          parsed = JSON.parse(text);
        } catch {
          parsed = { detail: text.slice(0, 200) };
        }
      }
      return { status: response.status, body: parsed };
    },
  };
}

/** Every item of a paged list (`limit=500`, following `nextCursor`). `path` may carry a query already. */
export async function listAll<T>(client: ManagementClient, path: string): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | null = null;
  do {
    const query: string = `${path.includes('?') ? '&' : '?'}limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const page: { items: T[]; nextCursor: string | null } = await expectOk<{ items: T[]; nextCursor: string | null }>(client, 'GET', `${path}${query}`);
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return items;
}
