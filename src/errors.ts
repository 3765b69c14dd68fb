// The error base class and the catalogue of stable error codes (`<owner>.<reason>`) that every surface renders.
//
// Code throws a GatehouseError with a catalogued code; each surface (management API, gateway, CLI) renders it
// in one place. docs/reference/errors.md is generated from this catalogue and a test keeps the two in step.

export interface ErrorSpec {
  /** HTTP status the error is rendered with. */
  readonly status: number;
  /** Short, human title; the problem+json `title`. */
  readonly title: string;
  /** What causes it and what to do, for the reference page. */
  readonly doc: string;
}

export const errorCatalogue = {
  // requests in general
  'request.invalid': { status: 400, title: 'Invalid request', doc: 'A field, parameter or header does not match its schema. `errors` lists each problem with the path of the field.' },
  'request.malformed_json': { status: 400, title: 'Malformed JSON', doc: 'The body is not valid JSON. The detail names the position of the first error.' },
  'request.body_too_large': { status: 413, title: 'Body too large', doc: 'The body is larger than the limit of the endpoint (1 MiB for the management API).' },
  'request.unsupported_media_type': { status: 415, title: 'Unsupported media type', doc: 'Send `Content-Type: application/json`.' },
  'request.precondition_failed': { status: 412, title: 'Precondition failed', doc: 'The `If-Match` header does not match the current ETag: someone else changed the resource since you read it. Read it again and retry.' },
  'request.not_found': { status: 404, title: 'No such route', doc: 'No route matches the method and path. The management API lives under `/api/v1`; its OpenAPI document is `/api/v1/openapi.json`.' },
  'request.method_not_allowed': { status: 405, title: 'Method not allowed', doc: 'The path exists but does not accept this method.' },
  // authentication and authorisation on the management API
  'auth.missing_token': { status: 401, title: 'Authentication required', doc: 'Send `Authorization: Bearer <token>` with a personal access token or the bootstrap admin token.' },
  'auth.invalid_token': { status: 401, title: 'Invalid token', doc: 'The bearer token is unknown, expired, or belongs to a user who is not active.' },
  'auth.invalid_credentials': { status: 401, title: 'Sign-in failed', doc: 'The email or the password is wrong, or the account is not active. The answer is the same in each case, so it does not tell which accounts exist.' },
  'auth.session_ended': { status: 401, title: 'Session ended', doc: 'The session cookie is unknown or expired (sessions last 12 hours, and end at sign-out, a password change or a deactivation). Sign in again.' },
  'auth.csrf_failed': { status: 403, title: 'CSRF check failed', doc: 'A change made with a session cookie must carry the `x-csrf-token` header that `GET /api/v1/session` hands out. Personal access tokens need no such header.' },
  'auth.too_many_attempts': { status: 429, title: 'Too many sign-in attempts', doc: 'Five failed sign-ins for one account (or twenty from one address) within 15 minutes: sign-in is refused until the window has passed. `Retry-After` gives the seconds to wait.' },
  'auth.forbidden': { status: 403, title: 'Forbidden', doc: 'Your roles do not allow this operation. The detail names the roles that do.' },
  // the developer hub
  'authorization.request_invalid': { status: 400, title: 'Sign-in link not valid', doc: 'The `request` of the login and consent page was not made by this Gatehouse (or was changed, or was made by a node with another server secret). Go back to the app and start signing in again.' },
  'authorization.request_expired': { status: 400, title: 'Sign-in link expired', doc: 'An authorization request waits at most 10 minutes for the user to sign in and consent. Go back to the app and start again.' },
  'authorization.unknown_user': { status: 400, title: 'No such user', doc: 'A login page of your own answered for a user that is not an active Gatehouse user. Tokens of the authorization code grant carry a Gatehouse user; create the account first (console → Users, or `POST /api/v1/users`).' },
  'hub.sign_in_required': { status: 401, title: 'Sign in required', doc: 'This part of the developer hub is for signed-in accounts. Sign in with `POST /api/v1/session` (or sign up with `POST /api/v1/signup`).' },
  'hub.signup_closed': { status: 403, title: 'Sign-up closed', doc: 'This Gatehouse does not let people sign up on the developer hub (`GATEHOUSE_HUB_SIGNUP=closed`). Ask an administrator for an account.' },
  'hub.developer_role_required': { status: 403, title: 'Developer role required', doc: 'Apps are made and used by accounts with the developer role. Ask an administrator to add the role to your account in the console under Users; the detail names your account and its roles.' },
  'hub.approval_pending': { status: 403, title: 'Account awaiting approval', doc: 'Sign-up needs an administrator\'s approval here (`GATEHOUSE_HUB_SIGNUP=approval`). Once an administrator adds the developer role to the account (console → Users), it can create apps.' },
  'hub.developer_inactive': { status: 403, title: 'Developer profile inactive', doc: 'An administrator deactivated your developer profile: you cannot create or change apps, and their keys and tokens do not work. Ask an administrator to activate it (console → Developers).' },
  'hub.no_token_endpoint': { status: 409, title: 'No token endpoint', doc: "None of the credential's products holds a deployed API with an oauth-v2 GenerateAccessToken step that takes `client_credentials`. Ask the API's owner to add the token API to the product and deploy it." },
  'hub.try_path_refused': { status: 400, title: 'Path outside the app\'s APIs', doc: "The try-it console calls only the gateway, and there only paths under the base path of a deployed API of the app's products. The detail lists those base paths." },
  'hub.gateway_unreachable': { status: 502, title: 'Gateway unreachable', doc: 'The developer hub could not connect to the gateway to make the call for you. Check that the gateway is running.' },
  'hub.gateway_timeout': { status: 504, title: 'Gateway did not answer in time', doc: 'The gateway took longer than 10 seconds to answer a call the developer hub made for you (a token request or a try-it call).' },
  'hub.traffic_unavailable': { status: 503, title: 'Traffic reports unavailable', doc: 'This Gatehouse sends analytics records to a sink that cannot report on them, so the developer hub cannot show traffic.' },
  // apis, revisions, deployments
  'api.not_found': { status: 404, title: 'API not found', doc: 'No API has this name.' },
  'api.exists': { status: 409, title: 'API already exists', doc: 'An API with this name exists; update it with `PUT /apis/{name}`.' },
  'api.revision_not_found': { status: 404, title: 'Revision not found', doc: 'The API has no revision with this number.' },
  'api.base_path_conflict': { status: 409, title: 'Base path already deployed', doc: 'Another deployed API serves the same base path. Undeploy it or change one of the base paths.' },
  'api.deployed': { status: 409, title: 'API is deployed', doc: 'A deployed API cannot be deleted. Undeploy it first with `DELETE /apis/{name}/deployment`.' },
  'api.not_deployed': { status: 409, title: 'API is not deployed', doc: 'Undeploy was asked for an API that has no deployed revision.' },
  'api.in_use': { status: 409, title: 'API is used by products', doc: 'Products list this API. Remove it from them first; the detail names them.' },
  // products
  'product.not_found': { status: 404, title: 'Product not found', doc: 'No product has this name.' },
  'product.exists': { status: 409, title: 'Product already exists', doc: 'A product with this name exists; update it with `PUT /products/{name}`.' },
  'product.unknown_api': { status: 422, title: 'Product names an unknown API', doc: 'Each API a product lists must exist. Create the API first (`apply` does this in the right order).' },
  'product.in_use': { status: 409, title: 'Product is subscribed', doc: 'Apps hold credentials for this product. Remove it from those apps first; the detail names them.' },
  // developers, apps, credentials
  'developer.not_found': { status: 404, title: 'Developer not found', doc: 'No developer has this email address.' },
  'developer.exists': { status: 409, title: 'Developer already exists', doc: 'A developer with this email address exists.' },
  'app.not_found': { status: 404, title: 'App not found', doc: 'The developer has no app with this name.' },
  'app.exists': { status: 409, title: 'App already exists', doc: 'The developer already has an app with this name.' },
  'app.unknown_product': { status: 422, title: 'App names an unknown product', doc: 'Each product an app subscribes to must exist.' },
  'app.invalid_jwks': { status: 400, title: 'Unusable client keys', doc: 'An app with `tokenEndpointAuthMethod: private_key_jwt` needs `jwks`, and every key in `jwks` must be a public key Gatehouse can verify client assertions with: EC P-256 (ES256), Ed25519 (EdDSA) or RSA of at least 2048 bits (RS256, PS256), with an `alg` that fits it if one is given, and a distinct `kid` on each when there are several. Private keys (`d` and the like) are refused: register only the public half. `errors` names each key and what is wrong with it.' },
  'credential.not_found': { status: 404, title: 'Credential not found', doc: 'The app has no credential with this client id.' },
  'credential.exists': { status: 409, title: 'Client id already in use', doc: 'Client ids are unique across all apps. Choose another, or let Gatehouse generate one.' },
  'credential.secret_too_short': { status: 400, title: 'Client secret too short', doc: 'Imported client secrets must have at least 16 characters: Gatehouse stores a fast hash of each secret, which is safe only for secrets that cannot be guessed.' },
  'credential.product_not_found': { status: 404, title: 'Product not on credential', doc: 'The credential does not carry this product.' },
  // users and personal access tokens
  'user.not_found': { status: 404, title: 'User not found', doc: 'No user has this email address.' },
  'user.exists': { status: 409, title: 'User already exists', doc: 'A user with this email address exists.' },
  'user.last_admin': { status: 409, title: 'Last admin', doc: 'This change would leave Gatehouse without an active admin.' },
  'token.not_found': { status: 404, title: 'Token not found', doc: 'You have no personal access token with this id.' },
  // key value maps
  'kvm.not_found': { status: 404, title: 'Key value map not found', doc: 'No map has this name in this scope. Maps of an API are addressed with `?api=<name>`; without it, the organisation-wide map is meant.' },
  'kvm.exists': { status: 409, title: 'Key value map already exists', doc: 'The scope (organisation-wide, or the API) already has a map with this name; names are unique per scope.' },
  'kvm.entry_not_found': { status: 404, title: 'Entry not found', doc: 'The map has no entry with this key.' },
  'kvm.unknown_api': { status: 422, title: 'Map names an unknown API', doc: 'A map scoped to an API needs the API to exist. Create the API first (`apply` does this in the right order).' },
  'kvm.key_too_long': { status: 400, title: 'Key too long', doc: 'Keys are 1 to 2048 bytes of UTF-8 (SAP API Management: 2 KB) and cannot hold NUL.' },
  'kvm.value_too_long': { status: 400, title: 'Value too long', doc: 'Values are at most 10240 bytes of UTF-8 (SAP API Management: 10 KB) and cannot hold NUL.' },
  'kvm.encryption_unavailable': { status: 422, title: 'Encryption unavailable', doc: 'Encrypted maps need a server secret. With PostgreSQL, set `GATEHOUSE_SECRET_KEY` (at least 32 characters, the same on every node) and restart; with SQLite, Gatehouse keeps one in the data directory as `secret.key`.' },
  'kvm.encrypted_immutable': { status: 409, title: 'Encryption cannot change', doc: 'Whether a map is encrypted is decided when it is created. Create a new map (and move the entries) instead.' },
  'api.invalid': { status: 422, title: 'API cannot be deployed', doc: 'A condition does not parse, a step names an unknown policy, or a step\'s config does not fit its policy. `errors` lists each problem with its place in the flow, e.g. `/preFlow/request/0/config/operation`.' },
  // JWT signing keys
  'signing-key.unavailable': { status: 409, title: 'No signing keys', doc: 'JWT signing keys are kept encrypted under the server secret, and this server has none (PostgreSQL without `GATEHOUSE_SECRET_KEY`). Set it, the same on every node, and restart.' },
  // the policy catalogue
  'policy.not_found': { status: 404, title: 'Policy not found', doc: 'No built-in policy has this name. `GET /api/v1/policies` lists them all.' },
  // the gateway
  'gateway.no_route': { status: 404, title: 'No API at this path', doc: 'No deployed API has a base path that matches the request path. List deployments with `GET /api/v1/apis` on the admin port.' },
  'gateway.invalid_path': { status: 400, title: 'Path not allowed', doc: 'The path has a `.` or `..` segment (also percent-encoded) or an encoded slash (`%2F`, `%5C`). Product resource rules and targets see paths as written, so such paths are refused rather than interpreted differently by the gateway and the backend.' },
  'gateway.target_timeout': { status: 504, title: 'Target timed out', doc: 'The target did not answer within the API\'s `target.timeoutMs` (default 30 s).' },
  'gateway.target_unreachable': { status: 502, title: 'Target unreachable', doc: 'The connection to the target was refused, reset or could not be made.' },
  'gateway.body_too_large': { status: 413, title: 'Body too large for a policy', doc: 'A step had to read the request body, which is larger than the 10 MiB a policy may buffer. Bodies that no step reads stream through without a limit.' },
  // OAuth 2.0 (the oauth-v2 policy); token endpoint errors follow RFC 6749 §5.2, bearer errors RFC 6750 §3.1
  'oauth.invalid_request': { status: 400, title: 'Invalid token request', doc: 'A required parameter (`grant_type`, say) is missing, or the client credentials were sent twice.' },
  'oauth.invalid_client': { status: 401, title: 'Client authentication failed', doc: 'Unknown client id, wrong secret, a `private_key_jwt` client assertion that is refused (bad signature, unknown `kid`, wrong `iss`, `sub` or `aud`, expired, valid for more than 5 minutes, no `jti`, or used before), a method other than the one the app registered (`tokenEndpointAuthMethod`), or the credential, app or developer is not in good standing. `error_description` says which.' },
  'oauth.invalid_grant': { status: 400, title: 'Invalid grant', doc: 'The grant (refresh token, authorization code, password) is invalid, expired or revoked.' },
  'oauth.unauthorized_client': { status: 400, title: 'Client not authorised', doc: 'The app may not use this grant, or has no approved product.' },
  'oauth.unsupported_grant_type': { status: 400, title: 'Unsupported grant type', doc: 'The token endpoint does not accept this `grant_type`; its `supportedGrantTypes` lists those it does.' },
  'oauth.invalid_scope': { status: 400, title: 'Invalid scope', doc: 'The requested scope is malformed, or a refresh asks for more than the grant had (RFC 6749 §6: a refresh may narrow the scope, never widen it).' },
  'oauth.missing_token': { status: 401, title: 'No access token', doc: 'The call has no `Authorization: Bearer <token>` header (Apigee: `oauth.v2.InvalidAccessToken`).' },
  'oauth.invalid_token': { status: 401, title: 'Invalid access token', doc: 'The token is unknown or revoked, or its app, credential or developer is no longer in good standing (Apigee: `keymanagement.service.invalid_access_token`, `access_token_not_approved`).' },
  'oauth.token_expired': { status: 401, title: 'Access token expired', doc: 'Get a new token (Apigee: `keymanagement.service.access_token_expired`).' },
  'oauth.no_product_match': { status: 401, title: 'No product covers this call', doc: "None of the token's products lists this API (and path and method, when narrowed). Add the API to the app's product: the token API alone is not enough (Apigee: `keymanagement.service.InvalidAPICallAsNoApiProductMatchFound`)." },
  'oauth.insufficient_scope': { status: 403, title: 'Insufficient scope', doc: 'The step requires a scope the token does not carry (Apigee: `steps.oauth.v2.InsufficientScope`).' },
  // quota and spike arrest
  'quota.exceeded': { status: 429, title: 'Quota exceeded', doc: "The caller used up its quota for the current window (the product's quota, or the step's own). `RateLimit-Reset` and `Retry-After` give the seconds until the window ends. Steps configured with `status: 500` answer like Apigee Edge (Apigee: `policies.ratelimit.QuotaViolation`)." },
  'quota.invalid_weight': { status: 500, title: 'Invalid message weight', doc: "The flow variable named by the quota step's `weight` does not hold a non-negative integer (Apigee: `policies.ratelimit.InvalidMessageWeight`)." },
  'spike-arrest.exceeded': { status: 429, title: 'Too many calls at once', doc: "The call came sooner after the previous one than the step's rate allows (`10ps` = one per 100 ms). Retry after `Retry-After` seconds (Apigee: `policies.ratelimit.SpikeArrestViolation`)." },
  // verify-api-key
  'verify-api-key.missing': { status: 401, title: 'No API key', doc: 'The call carries no API key where the step looks for it (the `apikey` query parameter by default) (Apigee: `steps.oauth.v2.FailedToResolveAPIKey`).' },
  'verify-api-key.invalid': { status: 401, title: 'Invalid API key', doc: 'No credential has this key (Apigee: `oauth.v2.InvalidApiKey`).' },
  'verify-api-key.not_approved': { status: 401, title: 'API key not approved', doc: 'The credential is revoked or expired, its app is revoked, or its developer is inactive (Apigee: `oauth.v2.ApiKeyNotApproved`, `keymanagement.service.invalid_client-app_not_approved`, `keymanagement.service.DeveloperStatusNotActive`).' },
  'verify-api-key.no_product_match': { status: 401, title: 'API key not valid for this resource', doc: "None of the key's approved products covers this API (and path and method, when narrowed). Add the API to one of the app's products (Apigee: `oauth.v2.InvalidApiKeyForGivenResource`)." },
  // access-control and basic-authentication
  'access-control.denied': { status: 403, title: 'Address denied', doc: "The step's IP rules deny the client address, or no rule matches and `noRuleMatchAction` is `deny`; an address that cannot be parsed is denied too (Apigee: `accesscontrol.IPDeniedAccess`)." },
  'basic-authentication.missing': { status: 401, title: 'No Basic credentials', doc: 'The call sent no credentials where the Decode step looks (the `Authorization` header by default). Send `Authorization: Basic base64(user:password)` (Apigee: `steps.basicauthentication.UnresolvedVariable`).' },
  'basic-authentication.invalid': { status: 401, title: 'Invalid Basic credentials', doc: 'The credentials are not `Basic base64(user:password)`: another scheme, bad base64, not UTF-8, or no colon (Apigee: `steps.basicauthentication.InvalidBasicAuthenticationSource`).' },
  'basic-authentication.unresolved_variable': { status: 500, title: 'Credentials to encode not set', doc: "An Encode step's `user` or `password` variable is not set on this call. Set it in an earlier step, or set `ignoreUnresolvedVariables` (Apigee: `steps.basicauthentication.UnresolvedVariable`)." },
  // policies: messages, CORS, threat protection
  'assign-message.unresolved_variable': { status: 500, title: 'Unresolved variable', doc: 'An assign-message template references a flow variable that is not set (Apigee `steps.assignmessage.UnresolvedVariable`). Set it earlier in the flow, or set `ignoreUnresolvedVariables: true` to render it as empty.' },
  'raise-fault.raised': { status: 500, title: 'Fault raised', doc: 'A raise-fault step stopped the flow on purpose (Apigee `RaiseFault`). Status (500 unless the step sets `statusCode`), headers and body are the step\'s own; fault rules match `fault.name = "RaiseFault"`.' },
  'raise-fault.unresolved_variable': { status: 500, title: 'Unresolved variable', doc: 'A raise-fault template references a flow variable that is not set, and the step has `ignoreUnresolvedVariables: false`.' },
  'cors.origin_not_allowed': { status: 403, title: 'CORS origin not allowed', doc: 'A browser preflight came from an origin the cors step does not list in `allowOrigins`. Add the origin exactly as the browser sends it (scheme, host, port).' },
  'extract-variables.unresolved_variable': { status: 500, title: 'Value not found', doc: 'An extract-variables step with `ignoreUnresolvedVariables: false` found no value: a pattern did not match, a parameter or header was absent, or a JSON path found nothing.' },
  'json-threat-protection.exceeded': { status: 400, title: 'JSON limit exceeded', doc: 'The JSON body exceeds a limit of the json-threat-protection step; `fault.name` names it (`ExceededContainerDepth`, `ExceededArrayElementCount`, `ExceededObjectEntryCount`, `ExceededObjectEntryNameLength`, `ExceededStringValueLength`).' },
  'json-threat-protection.malformed': { status: 400, title: 'Malformed JSON body', doc: 'The body has a JSON content type but is not valid JSON (RFC 8259); the detail gives the byte position.' },
  'key-value-map.set_variable_failed': { status: 500, title: 'Encrypted value needs a private variable', doc: "A key-value-map step read a value of an encrypted map into a variable whose name does not start with `private.` (Apigee: `steps.keyvaluemapoperations.SetVariableFailed`). Rename the `assignTo` variable." },
  'key-value-map.operation_failed': { status: 500, title: 'Key value map operation failed', doc: 'A key-value-map step could not read or write its map: the store is down, the map is encrypted and the server has no secret key (or another one than wrote the value), or a value to put is longer than 10 KB.' },
  // process level
  'config.invalid': { status: 500, title: 'Invalid configuration', doc: 'A setting from a flag, an environment variable or the configuration file is not valid. The message names the setting and where it came from.' },
  'apply.invalid_file': { status: 400, title: 'Invalid declarative file', doc: 'The file given to `gatehouse apply` is not valid YAML or does not match the schema; the message names the field.' },
  'apply.unset_variable': { status: 400, title: 'Unset variable', doc: 'The file refers to `${VAR}` but the environment has no such variable. Set it, or write `${VAR:-default}`.' },
  'store.unavailable': { status: 503, title: 'Store unavailable', doc: 'The database cannot be reached. Gatehouse answers `/readyz` with 503 until it can.' },
  'internal': { status: 500, title: 'Internal error', doc: 'An unexpected error. The body carries the request id; the server log has the details under that id.' },
} as const satisfies Record<string, ErrorSpec>;

export type ErrorCode = keyof typeof errorCatalogue;

export interface ErrorOptions {
  /** Extra, client-safe data rendered with the error (e.g. a list of field problems). */
  readonly details?: Record<string, unknown>;
  readonly cause?: unknown;
}

/** The one error type Gatehouse throws on purpose. `code` is stable; `message` is for people. */
export class GatehouseError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, options: ErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'GatehouseError';
    this.code = code;
    this.status = errorCatalogue[code].status;
    this.details = options.details;
  }

  /** 5xx messages never reach a client: they may carry internals. */
  get expose(): boolean {
    return this.status < 500;
  }
}

export function isGatehouseError(error: unknown): error is GatehouseError {
  return error instanceof GatehouseError;
}
