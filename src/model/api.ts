// An API (a proxy): base path, optional target, flows of steps, fault rules. Its spec is what users write.
import { Type, type Static } from '@sinclair/typebox';
import { Description, DisplayName, Name, Timestamp } from './common.ts';

/** The longest condition a step, flow or fault rule may hold. */
export const MAX_CONDITION_LENGTH = 4000;

export const Step = Type.Object(
  {
    policy: Type.String({ pattern: '^[a-z][a-z0-9-]{0,62}$', description: 'The policy this step runs, e.g. `oauth-v2`, `quota`.' }),
    name: Type.Optional(Name),
    condition: Type.Optional(
      Type.String({ maxLength: MAX_CONDITION_LENGTH, description: 'Apigee condition; the step runs only when it holds. Example: `request.verb = "GET"`.' }),
    ),
    continueOnError: Type.Optional(Type.Boolean({ description: 'When true, a failure of this step does not raise a fault.' })),
    config: Type.Optional(Type.Record(Type.String(), Type.Unknown(), { description: "The policy's configuration; see the policy's reference page." })),
  },
  { title: 'step', additionalProperties: false, description: 'One policy invocation in a flow.' },
);
export type Step = Static<typeof Step>;


export const FlowPair = Type.Object(
  {
    request: Type.Optional(Type.Array(Step, { maxItems: 100, description: 'Steps run on the request, in order.' })),
    response: Type.Optional(Type.Array(Step, { maxItems: 100, description: 'Steps run on the response, in order.' })),
  },
  { title: 'flow', additionalProperties: false, description: 'The request and response steps of a flow.' },
);
export type FlowPair = Static<typeof FlowPair>;

export const ConditionalFlow = Type.Object(
  {
    name: Name,
    description: Type.Optional(Description),
    condition: Type.Optional(Type.String({ maxLength: MAX_CONDITION_LENGTH, description: 'When it holds, this flow runs; the first matching flow wins. No condition: always matches.' })),
    request: Type.Optional(Type.Array(Step, { maxItems: 100, description: 'Steps run on the request when this flow matched.' })),
    response: Type.Optional(Type.Array(Step, { maxItems: 100, description: 'Steps run on the response when this flow matched.' })),
  },
  { title: 'conditional flow', additionalProperties: false },
);
export type ConditionalFlow = Static<typeof ConditionalFlow>;

export const FaultRule = Type.Object(
  {
    name: Name,
    condition: Type.Optional(Type.String({ maxLength: MAX_CONDITION_LENGTH, description: 'Usually on `fault.name`; the first matching rule runs.' })),
    steps: Type.Array(Step, { maxItems: 100, description: 'Steps run when this rule matches, e.g. an assign-message that shapes the error.' }),
  },
  { title: 'fault rule', additionalProperties: false },
);

export const Target = Type.Object(
  {
    url: Type.String({ pattern: '^https?://[^\\s]+$', maxLength: 2000, description: 'Where requests go: the path suffix and query are appended.' }),
    connectTimeoutMs: Type.Optional(Type.Integer({ minimum: 1, maximum: 600_000, description: 'Connect timeout in ms (default 5000).' })),
    timeoutMs: Type.Optional(Type.Integer({ minimum: 1, maximum: 3_600_000, description: 'Time in ms (default 30000) the target has to start its answer, the wait for a pooled connection included (then 504 gateway.target_timeout), and the longest silence allowed between chunks of its body (then the answer is cut).' })),
    tls: Type.Optional(
      Type.Object(
        { rejectUnauthorized: Type.Optional(Type.Boolean({ description: 'Verify the target certificate (default true).' })) },
        { additionalProperties: false, description: 'TLS settings for https targets.' },
      ),
    ),
  },
  { title: 'target', additionalProperties: false, description: 'The backend service. Absent: the API answers from its own steps (like the token API).' },
);

export const ApiSpec = Type.Object(
  {
    name: Name,
    displayName: Type.Optional(DisplayName),
    description: Type.Optional(Description),
    basePath: Type.String({
      pattern: '^/([A-Za-z0-9._~!$&\'()*+,;=:@%-]+(/[A-Za-z0-9._~!$&\'()*+,;=:@%-]+)*)?$',
      maxLength: 500,
      description: 'The path prefix the gateway routes on, e.g. `/weather`. Starts with `/`, no trailing `/`.',
    }),
    target: Type.Optional(Target),
    preFlow: Type.Optional(Type.Object(FlowPair.properties, { title: 'flow', additionalProperties: false, description: 'Runs first, on every request and response.' })),
    flows: Type.Optional(Type.Array(ConditionalFlow, { maxItems: 200, description: 'Conditional flows; the first whose condition holds runs.' })),
    postFlow: Type.Optional(Type.Object(FlowPair.properties, { title: 'flow', additionalProperties: false, description: 'Runs last, after the matching conditional flow.' })),
    faultRules: Type.Optional(Type.Array(FaultRule, { maxItems: 100, description: 'Handlers for faults: the first rule whose condition holds runs its steps.' })),
    defaultFaultRule: Type.Optional(
      Type.Object(
        {
          steps: Type.Array(Step, { maxItems: 100, description: 'Steps run when no fault rule matched.' }),
          alwaysEnforce: Type.Optional(Type.Boolean({ description: 'Run even after a fault rule matched.' })),
        },
        { additionalProperties: false, description: 'Runs when no fault rule matched (or always, with alwaysEnforce).' },
      ),
    ),
    faultFormat: Type.Optional(
      Type.Union([Type.Literal('gatehouse'), Type.Literal('apigee')], {
        description: "Error body format: Gatehouse's own (default) or Apigee's `{\"fault\":{...}}`.",
      }),
    ),
    openapi: Type.Optional(Type.Record(Type.String(), Type.Unknown(), { description: 'An OpenAPI document shown in the developer hub.' })),
  },
  { title: 'api', additionalProperties: false, description: 'An API: what the gateway serves under a base path.' },
);
export type ApiSpec = Static<typeof ApiSpec>;

const Revision = Type.Integer({ minimum: 1 });

export const ApiView = Type.Object(
  {
    ...ApiSpec.properties,
    revision: Type.Integer({ description: 'The revision this body is.' }),
    latestRevision: Type.Integer({ description: 'The newest revision.' }),
    deployedRevision: Type.Union([Revision, Type.Null()], { description: 'The deployed revision, or null.' }),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  },
  { additionalProperties: false },
);
export type ApiView = Static<typeof ApiView>;

export const RevisionView = Type.Object(
  {
    revision: Revision,
    createdAt: Timestamp,
    createdBy: Type.String(),
    deployed: Type.Boolean(),
    spec: ApiSpec,
  },
  { additionalProperties: false },
);
export type RevisionView = Static<typeof RevisionView>;

export const DeploymentView = Type.Object(
  { api: Name, revision: Revision, basePath: Type.String(), deployedAt: Timestamp, deployedBy: Type.String() },
  { additionalProperties: false },
);
export type DeploymentView = Static<typeof DeploymentView>;
