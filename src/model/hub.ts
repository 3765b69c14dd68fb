// Wire shapes of the developer hub API: sign-up, the session's extras, the catalogue, a developer's apps and the tools.
import { Type, type Static } from '@sinclair/typebox';
import { AppSpec, ClientId } from './app.ts';
import { Description, DisplayName, Email, Name, Timestamp } from './common.ts';
import { DeveloperStatus } from './developer.ts';
import { HttpMethod, TimeUnit } from './product.ts';
import { Password } from './user.ts';

export const SignupMode = Type.Union([Type.Literal('open'), Type.Literal('approval'), Type.Literal('closed')], {
  description: '`open`: a new account may create apps at once; `approval`: it waits for an administrator; `closed`: no sign-up.',
});
export type SignupMode = Static<typeof SignupMode>;

export const SignupBody = Type.Object(
  {
    email: Email,
    password: Password,
    displayName: Type.String({ minLength: 1, maxLength: 200, pattern: '\\S', description: 'Your name, as people should read it.' }),
  },
  { additionalProperties: false, description: 'A new developer account.' },
);
export type SignupBody = Static<typeof SignupBody>;

/** Why a signed-in account cannot create apps, as a stable code (the `reason` says it in words). */
export const WorkspaceRefusal = Type.Union(
  [Type.Literal('hub.developer_role_required'), Type.Literal('hub.approval_pending'), Type.Literal('hub.developer_inactive')],
  { description: 'Why the account cannot create apps: it lacks the developer role, waits for approval, or its developer profile is inactive.' },
);
export type WorkspaceRefusal = Static<typeof WorkspaceRefusal>;

/** What the hub adds to the session view: the sign-up mode and what this account may do here. */
export const HubSessionExtras = Type.Object(
  {
    signup: SignupMode,
    developer: Type.Union(
      [Type.Object({ email: Email, status: DeveloperStatus }, { additionalProperties: false, description: 'The developer profile.' }), Type.Null()],
      { description: 'The developer profile of the signed-in account; null when signed out or when it has none yet (it is made on first use).' },
    ),
    canCreateApps: Type.Boolean({ description: 'Whether the signed-in account may create and change apps.' }),
    reason: Type.Optional(Type.String({ description: 'When canCreateApps is false for a signed-in account: why, and what to do, in words for people.' })),
    reasonCode: Type.Optional(WorkspaceRefusal),
  },
  { additionalProperties: false },
);
export type HubSessionExtras = Static<typeof HubSessionExtras>;

export const CatalogueApi = Type.Object(
  {
    name: Name,
    displayName: Type.Optional(DisplayName),
    description: Type.Optional(Description),
    basePath: Type.String({ description: 'The path prefix on the gateway, e.g. `/weather`.' }),
    url: Type.String({ description: 'The gateway address followed by the base path.' }),
    deployed: Type.Boolean({ description: 'False while the API is not deployed: calls to it answer 404.' }),
    issuesTokens: Type.Boolean({ description: 'True for token endpoints (APIs with an oauth-v2 GenerateAccessToken step).' }),
    openapi: Type.Optional(Type.Record(Type.String(), Type.Unknown(), { description: "The API's OpenAPI document, when it has one." })),
  },
  { additionalProperties: false, description: 'An API of a product.' },
);
export type CatalogueApi = Static<typeof CatalogueApi>;

export const TokenEndpointView = Type.Object(
  {
    api: Name,
    url: Type.String({ description: 'Where to POST token requests, e.g. `https://api.example.com/oauth/token`.' }),
    grantTypes: Type.Array(Type.String(), { description: 'The grant types it accepts, e.g. `client_credentials`.' }),
    exact: Type.Boolean({ description: 'False when a condition guards the step without naming one path, so the URL is a best guess.' }),
  },
  { additionalProperties: false, description: 'A token endpoint: a deployed API of the product that issues tokens.' },
);
export type TokenEndpointView = Static<typeof TokenEndpointView>;

export const CatalogueProduct = Type.Object(
  {
    name: Name,
    displayName: Type.Optional(DisplayName),
    description: Type.Optional(Description),
    approval: Type.Union([Type.Literal('auto'), Type.Literal('manual')], { description: '`manual`: a new subscription waits for an administrator.' }),
    scopes: Type.Array(Type.String(), { description: 'OAuth scopes tokens for this product may carry.' }),
    quota: Type.Union(
      [Type.Object({ limit: Type.Integer({ description: 'Calls allowed per interval.' }), interval: Type.Integer({ description: 'Number of time units.' }), timeUnit: TimeUnit }, { additionalProperties: false }), Type.Null()],
      { description: 'The default quota, or null.' },
    ),
    apis: Type.Array(CatalogueApi, { description: 'The APIs the product grants access to.' }),
    tokenEndpoints: Type.Array(TokenEndpointView, { description: "Where apps subscribed to this product get tokens." }),
  },
  { additionalProperties: false, description: 'A product of the catalogue.' },
);
export type CatalogueProduct = Static<typeof CatalogueProduct>;

export const CatalogueProductSummary = Type.Object(
  {
    name: Name,
    displayName: Type.Optional(DisplayName),
    description: Type.Optional(Description),
    approval: CatalogueProduct.properties.approval,
    apis: Type.Array(Type.Object({ name: Name, displayName: Type.Optional(DisplayName), issuesTokens: CatalogueApi.properties.issuesTokens }, { additionalProperties: false }), {
      description: 'The names of its APIs.',
    }),
  },
  { additionalProperties: false, description: 'A product as the catalogue lists it.' },
);
export type CatalogueProductSummary = Static<typeof CatalogueProductSummary>;

export const CatalogueList = Type.Object({ items: Type.Array(CatalogueProductSummary, { description: 'Published public products, by name.' }) }, { additionalProperties: false });

const HubAppFields = {
  displayName: Type.Optional(DisplayName),
  description: Type.Optional(Description),
  callbackUrls: AppSpec.properties.callbackUrls,
  publicClient: Type.Optional(
    Type.Boolean({
      description:
        'True for an app that runs in a browser or on a phone and cannot keep a secret (a public client): it signs users in with the authorization code grant and PKCE, sends only its client id, and cannot use client credentials. Absent on a change: unchanged.',
    }),
  ),
  products: Type.Array(Name, { minItems: 1, maxItems: 100, uniqueItems: true, description: 'Products of the catalogue the app subscribes to (at least one).' }),
};

export const HubAppCreate = Type.Object({ name: Name, ...HubAppFields }, { additionalProperties: false, description: 'A new app; its credential is generated and its secret shown once.' });
export type HubAppCreate = Static<typeof HubAppCreate>;

export const HubAppUpdate = Type.Object(HubAppFields, {
  additionalProperties: false,
  description: 'The new display name, description, callback URLs, client type and products (each replaces the old one; the name stays). Products added start approved, or pending for manual approval.',
});
export type HubAppUpdate = Static<typeof HubAppUpdate>;

export const HubCredentialView = Type.Object(
  {
    clientId: Type.String({ description: 'The client id (Apigee: consumer key).' }),
    clientSecret: Type.Optional(Type.String({ description: 'The client secret, in full: only in the answer that created or regenerated it. Copy it then; Gatehouse keeps only its hash.' })),
    status: Type.Union([Type.Literal('approved'), Type.Literal('revoked')], { description: '`revoked`: an administrator stopped this credential.' }),
    issuedAt: Timestamp,
    expiresAt: Type.Union([Timestamp, Type.Null()], { description: 'When the credential expires; null: never.' }),
    products: Type.Array(
      Type.Object(
        {
          name: Name,
          status: Type.Union([Type.Literal('approved'), Type.Literal('pending'), Type.Literal('revoked')], { description: '`pending` while a manual-approval product awaits an administrator; `revoked` when one withdrew it.' }),
        },
        { additionalProperties: false },
      ),
      { description: 'The products of the credential, each with its approval state.' },
    ),
  },
  { additionalProperties: false, description: 'A client id and the state of its products.' },
);
export type HubCredentialView = Static<typeof HubCredentialView>;

export const HubAppView = Type.Object(
  {
    name: Name,
    displayName: Type.Optional(DisplayName),
    description: Type.Optional(Description),
    callbackUrls: Type.Array(Type.String(), { description: 'Redirect URIs for the authorization code grant.' }),
    publicClient: Type.Boolean({ description: 'A public client: no secret; authorization code with PKCE only.' }),
    products: Type.Array(Name, { description: 'The products the app subscribes to.' }),
    status: Type.Union([Type.Literal('approved'), Type.Literal('revoked')], { description: '`revoked`: an administrator stopped the app; its tokens do not work.' }),
    credentials: Type.Array(HubCredentialView, { description: "The app's client ids, each with the status of each of its products (approved, pending, revoked)." }),
    apis: Type.Array(
      Type.Object(
        {
          name: Name,
          displayName: Type.Optional(DisplayName),
          basePath: Type.String({ description: 'The path prefix on the gateway.' }),
          url: Type.String({ description: 'The gateway address followed by the base path.' }),
          issuesTokens: Type.Boolean({ description: 'True for token endpoints.' }),
        },
        { additionalProperties: false },
      ),
      { description: "The deployed APIs of the app's products, as callers reach them." },
    ),
    tokenUrl: Type.Union([Type.String(), Type.Null()], { description: "Where the app gets client credentials tokens (the first such token endpoint of its products); null when they have none." }),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  },
  { additionalProperties: false, description: 'One of your apps.' },
);
export type HubAppView = Static<typeof HubAppView>;

export const HubAppList = Type.Object({ items: Type.Array(HubAppView, { description: 'Your apps, by name.' }) }, { additionalProperties: false });

export const NameParams = Type.Object({ name: Name }, { additionalProperties: false });
export const HubCredentialParams = Type.Object({ name: Name, clientId: ClientId }, { additionalProperties: false });

export const TokenRequest = Type.Object(
  {
    clientId: ClientId,
    clientSecret: Type.String({ minLength: 1, maxLength: 500, description: "The credential's secret: Gatehouse stores only its hash, so send it from where you keep it." }),
    scope: Type.Optional(Type.String({ maxLength: 2000, pattern: '^[\\x20-\\x7E]*$', description: 'Space-separated scopes to ask for; absent: every scope of the products.' })),
    tokenUrl: Type.Optional(Type.String({ maxLength: 2000, description: 'Which of the products\' token endpoints to use; absent: the first that takes client_credentials.' })),
  },
  { additionalProperties: false, description: 'A client credentials token request that the hub sends to the gateway for you.' },
);
export type TokenRequest = Static<typeof TokenRequest>;

export const TokenResult = Type.Object(
  {
    tokenUrl: Type.String({ description: 'The token endpoint that answered, as callers reach it.' }),
    status: Type.Integer({ description: "The token endpoint's HTTP status." }),
    body: Type.Unknown({ description: "The token endpoint's answer: JSON (`access_token`, `expires_in`, … or `error`), else text." }),
  },
  { additionalProperties: false },
);
export type TokenResult = Static<typeof TokenResult>;

/** Bounds of the try-it console. */
export const TRY_REQUEST_BODY_LIMIT = 64 * 1024;
export const TRY_RESPONSE_BODY_LIMIT = 256 * 1024;

export const TryRequest = Type.Object(
  {
    method: HttpMethod,
    path: Type.String({
      minLength: 1,
      maxLength: 2000,
      pattern: '^/(?!/)[^\\s#\\\\]*$',
      description: 'The path (and query) on the gateway, e.g. `/weather/data/2.5/weather?q=Berlin`; it must start with one `/` and lie under an API of the app\'s products.',
    }),
    headers: Type.Optional(
      Type.Record(Type.String({ pattern: "^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,100}$" }), Type.String({ maxLength: 8000, pattern: '^[^\\r\\n\\u0000]*$' }), {
        maxProperties: 50,
        description: 'Request headers, e.g. `authorization: Bearer …`. Host, Content-Length, hop-by-hop and X-Forwarded-* headers are set by the hub.',
      }),
    ),
    body: Type.Optional(Type.String({ maxLength: TRY_REQUEST_BODY_LIMIT, description: 'The request body as text, at most 64 KB.' })),
  },
  { additionalProperties: false, description: 'A call the hub makes to the gateway for you.' },
);
export type TryRequest = Static<typeof TryRequest>;

export const TryResult = Type.Object(
  {
    url: Type.String({ description: 'The URL called, as callers reach it.' }),
    status: Type.Integer({ description: "The gateway's HTTP status." }),
    headers: Type.Record(Type.String(), Type.String(), { description: 'Response headers (repeated ones joined with `, `).' }),
    body: Type.String({ description: 'The response body: text, or base64 when `bodyEncoding` says so.' }),
    bodyEncoding: Type.Union([Type.Literal('utf8'), Type.Literal('base64')], { description: '`base64` for bodies that are not text.' }),
    truncated: Type.Boolean({ description: 'True when the body was longer than 256 KB and is cut there.' }),
    durationMs: Type.Number({ description: 'Time from sending to the end of the body, in milliseconds.' }),
  },
  { additionalProperties: false },
);
export type TryResult = Static<typeof TryResult>;

export const TrafficQueryString = Type.Object(
  {
    from: Type.Optional(Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}', description: 'ISO date or time; default: `to` minus `last` (24 hours unless given).' })),
    to: Type.Optional(Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}', description: 'ISO date or time; default: the end of the current bucket.' })),
    last: Type.Optional(Type.String({ pattern: '^[1-9]\\d{0,4}(s|m|h|d)$', description: 'Instead of `from`: the window is this long, ending at `to`, e.g. `1h`, `24h`, `7d`.' })),
    bucket: Type.Optional(Type.String({ pattern: '^[1-9]\\d{0,4}(s|m|h|d)$', description: 'Bucket size, e.g. `5m`, `1h`, `1d`; default: a size giving at most 100 buckets.' })),
  },
  { additionalProperties: false },
);
export type TrafficQueryString = Static<typeof TrafficQueryString>;

const Latency = Type.Union([Type.Number(), Type.Null()], { description: 'Milliseconds; null when there were no calls.' });

export const HubTrafficReport = Type.Object(
  {
    from: Timestamp,
    to: Timestamp,
    bucketMs: Type.Integer({ description: 'Bucket size in milliseconds.' }),
    totals: Type.Object(
      {
        calls: Type.Integer({ description: 'Calls in the range.' }),
        errors: Type.Integer({ description: 'Calls answered with 400 or more.' }),
        avgLatencyMs: Latency,
        p95LatencyMs: Latency,
      },
      { additionalProperties: false, description: 'The whole range.' },
    ),
    series: Type.Array(
      Type.Object(
        { start: Timestamp, calls: Type.Integer({ description: 'Calls.' }), errors: Type.Integer({ description: 'Errors.' }), avgLatencyMs: Latency, p95LatencyMs: Latency },
        { additionalProperties: false },
      ),
      { description: 'One entry per bucket, oldest first, empty buckets included.' },
    ),
    byApi: Type.Array(Type.Object({ api: Name, calls: Type.Integer({ description: 'Calls.' }), errors: Type.Integer({ description: 'Errors.' }) }, { additionalProperties: false }), {
      description: 'Calls per API, most first.',
    }),
    recent: Type.Array(
      Type.Object(
        {
          at: Timestamp,
          api: Type.Union([Type.String(), Type.Null()], { description: 'The API called.' }),
          clientId: Type.Union([Type.String(), Type.Null()], { description: 'The client id of the call.' }),
          method: Type.String({ description: 'HTTP method.' }),
          path: Type.String({ description: 'Path on the gateway.' }),
          status: Type.Integer({ description: 'HTTP status.' }),
          latencyMs: Type.Number({ description: 'Total latency in milliseconds.' }),
          faultCode: Type.Union([Type.String(), Type.Null()], { description: 'The error code when the gateway refused or failed.' }),
        },
        { additionalProperties: false },
      ),
      { description: 'The newest calls, newest first (at most 20).' },
    ),
  },
  { additionalProperties: false, description: "Your app's traffic through the gateway." },
);
export type HubTrafficReport = Static<typeof HubTrafficReport>;


// ---- the login and consent page of the authorization code grant ----

export const AuthorizationQuery = Type.Object(
  { request: Type.String({ minLength: 1, maxLength: 8192, description: 'The sealed authorization request, as the authorization endpoint put it in the page\'s address.' }) },
  { additionalProperties: false },
);
export type AuthorizationQuery = Static<typeof AuthorizationQuery>;

export const AuthorizationPrompt = Type.Object(
  {
    app: Type.Object(
      {
        name: Name,
        displayName: Type.String(),
        developer: Type.String({ description: 'Who made the app: the developer\'s name.' }),
      },
      { additionalProperties: false },
    ),
    products: Type.Array(Type.Object({ name: Name, displayName: Type.String() }, { additionalProperties: false }), { description: 'What the app will reach with the access.' }),
    scopes: Type.Array(Type.String(), { description: 'The scopes the app asks for (as far as its products allow).' }),
    redirectOrigin: Type.String({ description: 'Where the browser goes after the answer: the origin of the app\'s callback URL.' }),
  },
  { additionalProperties: false, description: 'What the consent page shows about an authorization request.' },
);
export type AuthorizationPrompt = Static<typeof AuthorizationPrompt>;

export const AuthorizationDecision = Type.Object(
  {
    request: AuthorizationQuery.properties.request,
    decision: Type.Union([Type.Literal('allow'), Type.Literal('deny')], { description: 'The signed-in user\'s answer.' }),
  },
  { additionalProperties: false },
);
export type AuthorizationDecision = Static<typeof AuthorizationDecision>;

/** Body of the management API's consent route, for a login page of your own. */
export const AuthorizationConsent = Type.Object(
  {
    request: AuthorizationQuery.properties.request,
    user: Type.String({ minLength: 1, maxLength: 254, description: 'The email of the Gatehouse user your page signed in (an active user).' }),
    decision: AuthorizationDecision.properties.decision,
  },
  { additionalProperties: false, description: "A login page's answer to an authorization request, for the user it signed in." },
);
export type AuthorizationConsent = Static<typeof AuthorizationConsent>;

export const AuthorizationRedirect = Type.Object(
  { redirectTo: Type.String({ description: 'Where to send the browser: the authorization endpoint, which answers the app.' }) },
  { additionalProperties: false },
);
export type AuthorizationRedirect = Static<typeof AuthorizationRedirect>;
