// /policies: the catalogue of built-in policies a step can name, with config schemas and reference pages, for the console.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type, type Static } from '@sinclair/typebox';
import { GatehouseError } from '../../errors.ts';
import type { PolicyDefinition, PolicyRegistry } from '../../policies/policy.ts';
import { renderPolicy } from '../../policies/reference.ts';
import { ACCESS } from '../access.ts';
import { errorResponses, NameParams } from '../schemas.ts';

const tags = ['policies'];

const PolicyFault = Type.Object(
  {
    code: Type.String({ description: "Gatehouse's stable error code (see the error reference)." }),
    status: Type.Integer({ description: 'The HTTP status the fault is answered with (unless a step or fault rule changes it).' }),
    faultName: Type.String({ description: "Apigee's `fault.name`, which fault rule conditions match on." }),
    apigeeCode: Type.String({ description: "Apigee's `errorcode`, in the Apigee fault format." }),
    when: Type.String({ description: 'When the fault happens.' }),
  },
  { additionalProperties: false, description: 'A fault the policy can raise.' },
);

export const PolicyInfo = Type.Object(
  {
    name: Type.String({ description: "The policy's name: what a step's `policy` field says.", examples: ['quota'] }),
    summary: Type.String({ description: 'What the policy does, in one line.' }),
    apigee: Type.String({ description: 'The Apigee policy element it corresponds to.', examples: ['Quota'] }),
    configSchema: Type.Record(Type.String(), Type.Unknown(), { description: "The JSON Schema of a step's `config` for this policy: types, defaults and a description of every field." }),
    errors: Type.Array(PolicyFault, { description: 'The faults the policy raises.' }),
    variables: Type.Record(Type.String(), Type.String(), { description: 'Flow variables the policy sets, name to meaning; empty when it sets none.' }),
    docs: Type.String({ description: "The policy's reference page as markdown (the text of docs/reference/policies/<name>.md)." }),
  },
  { additionalProperties: false, description: 'A built-in policy.' },
);
export type PolicyInfo = Static<typeof PolicyInfo>;

const PolicyList = Type.Object({ items: Type.Array(PolicyInfo, { description: 'Every built-in policy, by name.' }) }, { additionalProperties: false });

/** The catalogue entry of a policy; the config schema as plain JSON Schema (TypeBox's symbol keys dropped). */
export function policyInfo(policy: PolicyDefinition): PolicyInfo {
  return {
    name: policy.name,
    summary: policy.summary,
    apigee: policy.apigee,
    configSchema: JSON.parse(JSON.stringify(policy.config)) as Record<string, unknown>,
    errors: policy.errors.map((e) => ({ code: e.code, status: e.status, faultName: e.faultName, apigeeCode: e.apigeeCode, when: e.when })),
    variables: { ...(policy.variables ?? {}) },
    docs: renderPolicy(policy),
  };
}

export function policyRoutes(policies: PolicyRegistry): FastifyPluginAsyncTypebox {
  return async function registerPolicyRoutes(app) {
    // The policies are fixed for the life of the process: describe them once.
    const catalogue = new Map([...policies.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)).map((p) => [p.name, policyInfo(p)]));
    const items = [...catalogue.values()];

    app.get(
      '/policies',
      { config: { access: ACCESS.read }, schema: { tags, summary: 'List the policies a step can use', response: { 200: PolicyList, ...errorResponses } } },
      async function listPoliciesRoute() {
        return { items };
      },
    );

    app.get(
      '/policies/:name',
      { config: { access: ACCESS.read }, schema: { tags, summary: 'Get a policy: config schema, faults, variables, reference page', params: NameParams, response: { 200: PolicyInfo, ...errorResponses } } },
      async function getPolicyRoute(request) {
        const found = catalogue.get(request.params.name);
        if (!found) throw new GatehouseError('policy.not_found', `No policy is named '${request.params.name}'. Known policies: ${[...catalogue.keys()].join(', ')}.`);
        return found;
      },
    );
  };
}
