// The bare Node proxy, the floor a Node gateway is measured against: node:http in, an undici Pool out, no policies.
// It does what any correct proxy must (hop-by-hop headers removed, X-Forwarded-For added, bodies streamed both ways),
// in the fastest simple way measured here: undici's stream() writes the target's body straight into the response.
// (request() + stream.pipeline() was 2.5× slower: pipeline makes an AbortController per call and aborts it at the
// end, building a DOMException with a stack trace; request() + pipe() sat between the two.)
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import { Pool } from 'undici';

const port = Number(process.argv[2]);
const target = process.argv[3] as string;
const pool = new Pool(target, { connections: 128, pipelining: 1, keepAliveTimeout: 120_000, keepAliveMaxTimeout: 600_000 });

// RFC 9110 §7.6.1: connection-specific fields are not forwarded.
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'host']);

function withoutHopByHop(headers: IncomingHttpHeaders | Record<string, string | string[] | undefined>): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const name in headers) {
    const value = headers[name];
    if (value !== undefined && !HOP_BY_HOP.has(name)) out[name] = value;
  }
  return out;
}

const server = createServer(function bareProxyHandler(request, response) {
  const method = request.method ?? 'GET';
  const headers = withoutHopByHop(request.headers);
  const clientIp = request.socket.remoteAddress ?? '';
  headers['x-forwarded-for'] = request.headers['x-forwarded-for'] ? `${String(request.headers['x-forwarded-for'])}, ${clientIp}` : clientIp;
  const hasBody = method !== 'GET' && method !== 'HEAD';
  pool.stream(
    { path: request.url ?? '/', method, headers, body: hasBody ? request : null, opaque: response },
    function relayHead({ statusCode, headers: upstreamHeaders, opaque }) {
      const out = opaque as ServerResponse;
      out.writeHead(statusCode, withoutHopByHop(upstreamHeaders));
      return out;
    },
    function relayDone(error) {
      if (!error) return;
      if (!response.headersSent) response.writeHead(502).end();
      else response.destroy();
    },
  );
});
server.keepAliveTimeout = 120_000;
server.headersTimeout = 125_000;
server.listen(port, '127.0.0.1');
process.on('SIGTERM', () => server.close(() => void pool.close().then(() => process.exit(0))));
