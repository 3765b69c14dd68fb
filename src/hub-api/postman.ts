// A Postman collection (v2.1) for one app: its token endpoint and client id as variables, a collection-level script
// that fetches a client-credentials token, and a request per API of the app's products.
//
// Format: https://schema.getpostman.com/json/collection/v2.1.0/collection.json; the seed walkthrough's
// examples/seed-walkthrough/weather.postman_collection.json is the hand-written model.

export const POSTMAN_SCHEMA = 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json';

/** The name of the token request, which the collection script skips (it authenticates with Basic by itself). */
export const TOKEN_REQUEST_NAME = 'Get a token (client credentials)';

export interface CollectionInput {
  app: { name: string; displayName?: string | undefined; description?: string | undefined };
  clientId: string;
  /** Filled in when given; otherwise left empty with a note, since Gatehouse keeps only a hash of it. */
  clientSecret?: string | undefined;
  /** The gateway as callers reach it, e.g. `https://api.example.com`. */
  gatewayUrl: string;
  /** The token endpoint that takes client_credentials; null when the app's products have none. */
  tokenUrl: string | null;
  /** The APIs to call (token endpoints excluded): one GET on the base path each. */
  apis: ReadonlyArray<{ name: string; displayName?: string | undefined; description?: string | undefined; basePath: string }>;
}

interface Variable {
  key: string;
  value: string;
  type: 'string';
  description?: string;
}

export interface PostmanCollection {
  info: { name: string; description: string; schema: string };
  auth: { type: 'bearer'; bearer: Array<{ key: string; value: string; type: 'string' }> };
  event: Array<{ listen: 'prerequest' | 'test'; script: { type: 'text/javascript'; exec: string[] } }>;
  item: Array<Record<string, unknown>>;
  variable: Variable[];
}

/** Runs before every request: gets a token with the client id and secret unless a fresh one is held. */
const TOKEN_SCRIPT = [
  '// Gets a client-credentials token (RFC 6749 §4.4) unless a fresh one is held; the collection sends it as a bearer token.',
  `if (pm.info.requestName === ${JSON.stringify(TOKEN_REQUEST_NAME)}) return;`,
  "const expiresAt = Number(pm.collectionVariables.get('access_token_expires_at') || 0);",
  "if (pm.collectionVariables.get('access_token') && Date.now() < expiresAt - 30000) return;",
  "const tokenUrl = pm.variables.get('tokenUrl');",
  "const clientId = pm.variables.get('clientId');",
  "const clientSecret = pm.variables.get('clientSecret');",
  "if (!tokenUrl || !clientId || !clientSecret) { console.error('Set the clientSecret variable (and tokenUrl, clientId) of this collection first: Gatehouse never stores the secret in clear.'); return; }",
  '// RFC 6749 §2.3.1: the client id and secret are form-encoded before they go into the Basic header.',
  "const basic = btoa(encodeURIComponent(clientId) + ':' + encodeURIComponent(clientSecret));",
  "const form = [{ key: 'grant_type', value: 'client_credentials' }];",
  "const scope = pm.variables.get('scope');",
  "if (scope) form.push({ key: 'scope', value: scope });",
  'pm.sendRequest({',
  '  url: tokenUrl,',
  "  method: 'POST',",
  "  header: [{ key: 'Authorization', value: 'Basic ' + basic }, { key: 'Content-Type', value: 'application/x-www-form-urlencoded' }],",
  "  body: { mode: 'urlencoded', urlencoded: form }",
  '}, (error, response) => {',
  "  if (error || response.code !== 200) { console.error('The token request failed', error || response.text()); return; }",
  '  const body = response.json();',
  "  pm.collectionVariables.set('access_token', body.access_token);",
  "  const seconds = Number(body.expires_in);",
  "  pm.collectionVariables.set('access_token_expires_at', String(seconds > 0 ? Date.now() + seconds * 1000 : Date.now() + 3600000));",
  '});',
];

function baseUrlRequest(path: string): { raw: string; host: string[]; path: string[] } {
  const segments = path.split('/').filter((s) => s !== '');
  return { raw: `{{baseUrl}}${path === '/' ? '' : path}`, host: ['{{baseUrl}}'], path: segments };
}

export function postmanCollection(input: CollectionInput): PostmanCollection {
  const appName = input.app.displayName ?? input.app.name;
  const gatewayUrl = input.gatewayUrl.replace(/\/+$/, '');
  const secretKnown = input.clientSecret !== undefined && input.clientSecret !== '';
  const items: Array<Record<string, unknown>> = [];
  if (input.tokenUrl !== null) {
    items.push({
      name: TOKEN_REQUEST_NAME,
      request: {
        description: 'The token request on its own, to see its answer. The other requests get their token by themselves (the collection\'s pre-request script).',
        auth: {
          type: 'basic',
          basic: [
            { key: 'username', value: '{{clientId}}', type: 'string' },
            { key: 'password', value: '{{clientSecret}}', type: 'string' },
          ],
        },
        method: 'POST',
        header: [{ key: 'Content-Type', value: 'application/x-www-form-urlencoded' }],
        body: { mode: 'urlencoded', urlencoded: [{ key: 'grant_type', value: 'client_credentials' }] },
        url: { raw: '{{tokenUrl}}', host: ['{{tokenUrl}}'] },
      },
      event: [
        {
          listen: 'test',
          script: {
            type: 'text/javascript',
            exec: [
              "pm.test('answers 200 with an access token', () => {",
              '  pm.response.to.have.status(200);',
              "  pm.expect(pm.response.json().access_token).to.be.a('string');",
              '});',
            ],
          },
        },
      ],
    });
  }
  for (const api of input.apis) {
    items.push({
      name: `${api.displayName ?? api.name}: GET ${api.basePath}`,
      request: {
        description: [api.description, `Calls the ${api.name} API with the collection's bearer token. Add the path and query you need after the base path.`].filter(Boolean).join('\n\n'),
        method: 'GET',
        header: [],
        url: baseUrlRequest(api.basePath),
      },
      event: [
        {
          listen: 'test',
          script: {
            type: 'text/javascript',
            exec: ["pm.test('the gateway accepts the token', () => {", '  pm.expect(pm.response.code).to.not.be.oneOf([401, 403]);', '});'],
          },
        },
      ],
    });
  }
  return {
    info: {
      name: `${appName} (Gatehouse)`,
      description: [
        `Requests for the app ${appName} through the Gatehouse gateway at ${gatewayUrl}.`,
        secretKnown
          ? 'The collection variables hold the token URL, client id and client secret; keep this file private.'
          : "Before the first run, set the collection variable clientSecret to your app's client secret (shown once in the developer hub when it was made or regenerated: Gatehouse keeps only a hash of it).",
        "Every request first gets a client-credentials token in the collection's pre-request script and sends it as `Authorization: Bearer {{access_token}}`, so `newman run` works unattended.",
        input.tokenUrl === null ? "None of the app's products has a token endpoint yet: ask the API's owner to add one." : '',
      ]
        .filter(Boolean)
        .join('\n\n'),
      schema: POSTMAN_SCHEMA,
    },
    auth: { type: 'bearer', bearer: [{ key: 'token', value: '{{access_token}}', type: 'string' }] },
    event: [{ listen: 'prerequest', script: { type: 'text/javascript', exec: TOKEN_SCRIPT } }],
    item: items,
    variable: [
      { key: 'baseUrl', value: gatewayUrl, type: 'string', description: 'The gateway, as callers reach it.' },
      { key: 'tokenUrl', value: input.tokenUrl ?? '', type: 'string', description: 'The token endpoint (client credentials).' },
      { key: 'clientId', value: input.clientId, type: 'string', description: "The app's client id." },
      {
        key: 'clientSecret',
        value: secretKnown ? (input.clientSecret as string) : '',
        type: 'string',
        description: secretKnown ? "The app's client secret: keep this collection private." : "Paste the app's client secret here. Gatehouse never stores it in clear, so it cannot fill it in; regenerate it in the developer hub if it is lost.",
      },
      { key: 'scope', value: '', type: 'string', description: 'Scopes to ask for, space-separated; empty: every scope of the products.' },
      { key: 'access_token', value: '', type: 'string', description: 'Set by the pre-request script.' },
      { key: 'access_token_expires_at', value: '0', type: 'string', description: 'When the token expires (ms since the epoch); set by the pre-request script.' },
    ],
  };
}

/** A file name for the download: the app's name, safe in a Content-Disposition header. */
export function collectionFileName(appName: string): string {
  return `${appName.replace(/[^A-Za-z0-9._-]/g, '_')}.postman_collection.json`;
}
