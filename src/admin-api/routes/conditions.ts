// /conditions/check: whether a condition deploys, checked by the same compiler the gateway runs at deploy.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { compileCondition, ConditionError } from '../../gateway/conditions/index.ts';
import { MAX_CONDITION_LENGTH } from '../../model/api.ts';
import { ACCESS } from '../access.ts';
import { errorResponses } from '../schemas.ts';

const ConditionCheck = Type.Object(
  {
    condition: Type.String({ maxLength: MAX_CONDITION_LENGTH, description: 'An Apigee condition, as a step, flow or fault rule would hold it. Example: `request.verb = "GET"`.' }),
  },
  { additionalProperties: false },
);

const ConditionVerdict = Type.Union(
  [
    Type.Object({ valid: Type.Literal(true, { description: 'The condition compiles; a deploy accepts it.' }) }, { additionalProperties: false }),
    Type.Object(
      {
        valid: Type.Literal(false, { description: 'The condition does not compile; a deploy refuses it.' }),
        message: Type.String({ description: 'What is wrong, in the words the deploy would use.' }),
        position: Type.Integer({ minimum: 0, description: "0-based index of the character the problem is at; the condition's length for \"at the end\"." }),
      },
      { additionalProperties: false },
    ),
  ],
  { description: 'Whether the condition compiles and, if not, where it goes wrong.' },
);

type Verdict = { valid: true } | { valid: false; message: string; position: number };

/** The deploy's rule (src/gateway/compile.ts): a blank condition is no condition, which always holds. */
export function checkCondition(text: string): Verdict {
  if (text.trim() === '') return { valid: true };
  try {
    compileCondition(text);
    return { valid: true };
  } catch (error: unknown) {
    if (error instanceof ConditionError) return { valid: false, message: error.message, position: error.position };
    throw error;
  }
}

export function conditionRoutes(): FastifyPluginAsyncTypebox {
  return async function registerConditionRoutes(app) {
    app.post(
      '/conditions/check',
      {
        config: { access: ACCESS.editApis },
        schema: {
          tags: ['apis'],
          summary: 'Check that a condition compiles',
          description: 'Always 200: `{ valid: true }`, or `{ valid: false, message, position }`. An empty or blank condition is valid: a step, flow or fault rule without one always runs.',
          body: ConditionCheck,
          response: { 200: ConditionVerdict, ...errorResponses },
        },
      },
      async function checkConditionRoute(request) {
        return checkCondition(request.body.condition);
      },
    );
  };
}
