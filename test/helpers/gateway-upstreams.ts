// Small upstreams for gateway end-to-end tests, on real sockets (127.0.0.1, port 0), and a raw HTTP client that
// can send what fetch refuses to (Connection, Keep-Alive, TE, Upgrade, Proxy-Authorization).
import type { Agent} from 'node:http';
import { createServer, request as httpRequest, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Readable } from 'node:stream';

export interface Upstream {
  url: string;
  port: number;
  server: Server;
  /** Requests the upstream received. */
  calls: number;
  /** Closes the server and every connection it holds (a hanging request included). */
  close(): Promise<void>;
}

/** Starts an upstream with the given handler; counts calls and tracks sockets so close() never waits. */
export async function startUpstream(handler: (request: IncomingMessage, response: ServerResponse, upstream: Upstream) => void): Promise<Upstream> {
  const sockets = new Set<Socket>();
  const upstream = { calls: 0 } as Upstream;
  const server = createServer(function upstreamHandler(request, response) {
    upstream.calls++;
    handler(request, response, upstream);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  let closing: Promise<void> | undefined;
  Object.assign(upstream, {
    url: `http://127.0.0.1:${port}`,
    port,
    server,
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      });
      return closing;
    },
  });
  return upstream;
}

export interface Echo {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/**
 * Answers 200 with what it received as JSON: method, url, headers, body. `?hop=1` adds hop-by-hop response headers
 * (and one the Connection header names) that the gateway must not pass on.
 */
export function startEchoUpstream(): Promise<Upstream> {
  return startUpstream(function echo(request, response) {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const echo: Echo = { method: request.method ?? '', url: request.url ?? '', headers: request.headers, body: Buffer.concat(chunks).toString('utf8') };
      const text = JSON.stringify(echo);
      const headers: Record<string, string | number | string[]> = { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), 'x-upstream': 'echo' };
      // A backend that tries to plant Gatehouse's session cookie beside one of its own.
      if ((request.url ?? '').includes('cookies=1')) headers['set-cookie'] = ['gatehouse_hub=planted; Path=/', 'theme=dark; Path=/'];
      const hop = (request.url ?? '').includes('hop=1');
      if (hop) {
        // Chunked, so a Trailer header is allowed (and a trailer sent).
        delete headers['content-length'];
        Object.assign(headers, { connection: 'x-bar', 'x-bar': 'connection-specific', 'keep-alive': 'timeout=5', 'proxy-authenticate': 'Basic realm="up"', upgrade: 'h2c', trailer: 'x-checksum' });
      }
      response.writeHead(200, headers);
      if (hop) response.addTrailers({ 'x-checksum': '1' });
      response.end(request.method === 'HEAD' ? undefined : text);
    });
  });
}

/** Answers 200 with a fixed text body. */
export function startTextUpstream(text: string): Promise<Upstream> {
  return startUpstream(function fixed(request, response) {
    request.resume();
    request.on('end', () => {
      response.writeHead(200, { 'content-type': 'text/plain', 'content-length': Buffer.byteLength(text) });
      response.end(text);
    });
  });
}

/** A port that was bound and then closed: connecting to it is refused. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export interface RawRequestOptions {
  method?: string;
  headers?: Record<string, string | number | string[]>;
  body?: string | Buffer | Readable;
  agent?: Agent | false;
}

/** One HTTP/1.1 request with node:http: headers go out exactly as given; resolves with the whole response. */
export function rawRequest(url: string, options: RawRequestOptions = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(url, { method: options.method ?? 'GET', headers: options.headers ?? {}, agent: options.agent ?? false }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) }));
      response.on('error', reject);
      response.on('aborted', () => reject(new Error('response aborted')));
    });
    request.on('error', reject);
    const body = options.body;
    if (body === undefined) request.end();
    else if (typeof body === 'string' || Buffer.isBuffer(body)) request.end(body);
    else body.pipe(request);
  });
}

/** Lets the event loop turn (no timers) until the condition holds or the turns run out. */
export async function untilTrue(condition: () => boolean, turns = 1000): Promise<boolean> {
  for (let i = 0; i < turns && !condition(); i++) await new Promise((resolve) => setImmediate(resolve));
  return condition();
}
