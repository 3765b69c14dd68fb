// oidc-provider 9 for the bench: a token endpoint for client_credentials with HTTP Basic client authentication and its
// in-memory adapter. MODE opaque: opaque access tokens (kept in memory); jwt-rs256: JWT access tokens signed with its
// default algorithm, RS256; jwt-es256: signed with ES256. Run by the bench, not by hand:
//   node oidc-provider.mjs PORT CLIENTS_JSON MODE
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import Provider from 'oidc-provider';

const [port, clientsFile, mode] = process.argv.slice(2);
const clients = JSON.parse(readFileSync(clientsFile, 'utf8'));
const RESOURCE = 'urn:gatehouse-bench:weather';

const privateJwk = (type, options, alg) => ({ ...generateKeyPairSync(type, options).privateKey.export({ format: 'jwk' }), alg, use: 'sig', kid: alg.toLowerCase() });
const jwks = { keys: [privateJwk('rsa', { modulusLength: 2048 }, 'RS256'), privateJwk('ec', { namedCurve: 'P-256' }, 'ES256')] };

const provider = new Provider(`http://127.0.0.1:${port}`, {
  clients: clients.map((c) => ({
    client_id: c.clientId,
    client_secret: c.clientSecret,
    grant_types: ['client_credentials'],
    response_types: [],
    redirect_uris: [],
    token_endpoint_auth_method: 'client_secret_basic',
  })),
  jwks,
  // The same lifetime as the other token endpoints of the bench (its default for opaque ones is 10 minutes).
  ttl: { ClientCredentials: 3600 },
  features: {
    devInteractions: { enabled: false },
    clientCredentials: { enabled: true },
    resourceIndicators: {
      enabled: true,
      // opaque: no resource, so the token is oidc-provider's opaque kind; jwt-*: every token is for the bench's API.
      defaultResource: () => (mode === 'opaque' ? undefined : RESOURCE),
      useGrantedResource: () => true,
      getResourceServerInfo: () => ({
        scope: 'weather',
        audience: RESOURCE,
        accessTokenTTL: 3600,
        accessTokenFormat: 'jwt',
        ...(mode === 'jwt-es256' ? { jwt: { sign: { alg: 'ES256' } } } : {}),
      }),
    },
  },
});

const server = createServer(provider.callback());
server.keepAliveTimeout = 120_000;
server.listen(Number(port), '127.0.0.1');
process.on('SIGTERM', () => server.close(() => process.exit(0)));
