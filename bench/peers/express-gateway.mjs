// Express Gateway 1.16 for the bench: a proxy to the bench's upstream behind oauth2 (bearer tokens it issued) and
// rate-limit (per app, a limit no run reaches), with its in-memory Redis emulation. Run by the bench, not by hand:
//   node express-gateway.mjs CONFIG_DIR HTTP_PORT ADMIN_PORT UPSTREAM_PORT
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const [dir, httpPort, adminPort, upstreamPort] = process.argv.slice(2);
const require = createRequire(import.meta.url);
const packageDir = dirname(require.resolve('express-gateway/package.json'));

mkdirSync(join(dir, 'models'), { recursive: true });
cpSync(join(packageDir, 'lib/config/models'), join(dir, 'models'), { recursive: true });
writeFileSync(
  join(dir, 'system.config.yml'),
  `db:
  redis:
    emulate: true
    namespace: EG
crypto:
  cipherKey: bench-cipher-key-not-secret
  algorithm: aes256
  saltRounds: 10
session:
  secret: bench-session-secret-not-secret
  resave: false
  saveUninitialized: false
accessTokens:
  timeToExpiry: 7200000
refreshTokens:
  timeToExpiry: 7200000
authorizationCodes:
  timeToExpiry: 300000
`,
);
writeFileSync(
  join(dir, 'gateway.config.yml'),
  `http:
  port: ${httpPort}
admin:
  port: ${adminPort}
  host: 127.0.0.1
apiEndpoints:
  weather:
    host: '*'
    paths: ['/proxy/*', '/proxy']
serviceEndpoints:
  upstream:
    url: 'http://127.0.0.1:${upstreamPort}'
policies:
  - oauth2
  - rate-limit
  - proxy
pipelines:
  weather:
    apiEndpoints: [weather]
    policies:
      - oauth2:
      - rate-limit:
          - action:
              max: 1000000000
              windowMs: 60000
              delayAfter: 0
              rateLimitBy: '\${req.user.id}'
      - proxy:
          - action:
              serviceEndpoint: upstream
`,
);

const gateway = require('express-gateway');
gateway().load(dir).run();
