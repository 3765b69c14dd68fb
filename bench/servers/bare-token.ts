// The bare Node token endpoint, the floor for token issuance: node:http, an HTTP Basic check of the client against
// SHA-256 hashes (constant-time), `grant_type=client_credentials`, and a random token kept in a Map. Nothing durable.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type ServerResponse } from 'node:http';

const port = Number(process.argv[2]);
/** A JSON file: [{ clientId, clientSecret }], the same clients the gateways get. */
const clients = JSON.parse(readFileSync(process.argv[3] as string, 'utf8')) as Array<{ clientId: string; clientSecret: string }>;

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest();
const secretHashes = new Map(clients.map((c) => [c.clientId, sha256(c.clientSecret)]));
const tokens = new Map<string, { clientId: string; expiresAt: number }>();
const EXPIRES_IN_S = 3600;

function answer(response: ServerResponse, status: number, body: object, extra: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', 'content-length': String(Buffer.byteLength(text)), ...extra });
  response.end(text);
}

function authenticate(header: string | undefined): string | undefined {
  if (!header?.startsWith('Basic ')) return undefined;
  const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  const clientId = decodeURIComponent(decoded.slice(0, colon));
  const expected = secretHashes.get(clientId);
  const presented = sha256(decodeURIComponent(decoded.slice(colon + 1)));
  return expected && timingSafeEqual(expected, presented) ? clientId : undefined;
}

const server = createServer(function bareTokenHandler(request, response) {
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', function issueToken() {
    if (request.method !== 'POST') return answer(response, 405, { error: 'invalid_request' });
    const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
    if (form.get('grant_type') !== 'client_credentials') return answer(response, 400, { error: 'unsupported_grant_type' });
    const clientId = authenticate(request.headers.authorization);
    if (!clientId) return answer(response, 401, { error: 'invalid_client' }, { 'www-authenticate': 'Basic realm="token"' });
    const token = randomBytes(32).toString('base64url');
    tokens.set(token, { clientId, expiresAt: Date.now() + EXPIRES_IN_S * 1000 });
    answer(response, 200, { access_token: token, token_type: 'Bearer', expires_in: EXPIRES_IN_S });
  });
});
server.keepAliveTimeout = 120_000;
server.headersTimeout = 125_000;
server.listen(port, '127.0.0.1');
process.on('SIGTERM', () => server.close(() => process.exit(0)));
