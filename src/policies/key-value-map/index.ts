// The key-value-map policy (Apigee KeyValueMapOperations): reads entries of a key value map into flow variables,
// writes and deletes entries. Values of encrypted maps may only be read into `private.` variables.
import { PolicyConfigError, StepFault, type FlowContext, type PolicyDefinition, type StepFunction } from '../policy.ts';
import { compileTemplate, type Template } from '../template.ts';
import { KeyValueMapConfig } from './config.ts';

/** Thrown by a template whose variable is not set: the operation is skipped. */
class Unresolved extends Error {}

function template(source: string): Template {
  return compileTemplate(source, { unresolved: (name) => new Unresolved(name) });
}

/** Renders a template; undefined when a variable it needs is not set. */
function render(t: Template, context: FlowContext): string | undefined {
  try {
    return t.render(context);
  } catch (error) {
    if (error instanceof Unresolved) return undefined;
    throw error;
  }
}

function failed(stepName: string, map: string, error: unknown): StepFault {
  return new StepFault({
    faultName: 'OperationFailed',
    code: 'key-value-map.operation_failed',
    apigeeCode: 'steps.keyvaluemapoperations.OperationFailed',
    status: 500,
    message: `Step ${stepName} could not use key value map ${map}: ${error instanceof Error ? error.message : String(error)}`,
  });
}

export const keyValueMap: PolicyDefinition<typeof KeyValueMapConfig> = {
  name: 'key-value-map',
  summary: 'Read entries of a key value map into flow variables, write and delete entries (encrypted maps only into `private.` variables).',
  apigee: 'KeyValueMapOperations',
  config: KeyValueMapConfig,
  errors: [
    {
      code: 'key-value-map.set_variable_failed',
      status: 500,
      faultName: 'SetVariableFailed',
      apigeeCode: 'steps.keyvaluemapoperations.SetVariableFailed',
      when: 'A `get` read a value of an encrypted map into a variable whose name does not start with `private.`. The map is looked up when the step runs, so this shows on the first call, not at deploy.',
    },
    {
      code: 'key-value-map.operation_failed',
      status: 500,
      faultName: 'OperationFailed',
      apigeeCode: 'steps.keyvaluemapoperations.OperationFailed',
      when: 'The map could not be read or written: the store is down, the map is encrypted and the server has no secret key (or another one than wrote the value), or a value to put is longer than 10 KB.',
    },
  ],
  create(config, deps, placement): StepFunction {
    const kvm = deps.kvm;
    const stepName = placement.stepName;
    const map = config.mapName;
    const api = config.scope === 'apiproxy' ? placement.api : null;
    const maxAgeMs = config.cacheTtlSeconds * 1000;
    const puts = (config.put ?? []).map((p) => ({ key: template(p.key), value: template(p.value), override: p.override }));
    const gets = (config.get ?? []).map((g) => ({ key: template(g.key), assignTo: g.assignTo }));
    const deletes = (config.delete ?? []).map((d) => ({ key: template(d.key) }));
    const initialEntries = config.initialEntries;
    if (puts.length + gets.length + deletes.length === 0 && initialEntries === undefined) {
      throw new PolicyConfigError('a key-value-map step needs at least one of get, put, delete or initialEntries.');
    }
    const mapLabel = api === null ? map : `${api}/${map}`;
    // Written once per compiled revision, on the first call; a failure is retried on the next one.
    let initialized: Promise<unknown> | undefined;

    return async function keyValueMapStep(context) {
      try {
        if (initialEntries !== undefined) {
          initialized ??= kvm.initialize(api, map, initialEntries).catch((error: unknown) => {
            initialized = undefined;
            throw error;
          });
          await initialized;
        }
        for (const put of puts) {
          const key = render(put.key, context);
          const value = render(put.value, context);
          if (key === undefined || key === '' || value === undefined) continue;
          await kvm.put(api, map, key, value, put.override);
        }
        for (const get of gets) {
          const key = render(get.key, context);
          if (key === undefined || key === '') continue;
          const read = await kvm.get(api, map, key, maxAgeMs);
          if (read === undefined || read.value === undefined) continue;
          if (read.encrypted && !get.assignTo.startsWith('private.')) {
            throw new StepFault({
              faultName: 'SetVariableFailed',
              code: 'key-value-map.set_variable_failed',
              apigeeCode: 'steps.keyvaluemapoperations.SetVariableFailed',
              status: 500,
              message: `Step ${stepName}: key value map ${mapLabel} is encrypted; its values can only be assigned to variables named private.*, not ${get.assignTo}.`,
            });
          }
          context.set(get.assignTo, read.value);
        }
        for (const del of deletes) {
          const key = render(del.key, context);
          if (key === undefined || key === '') continue;
          await kvm.delete(api, map, key);
        }
      } catch (error) {
        if (error instanceof StepFault) throw error;
        throw failed(stepName, mapLabel, error);
      }
    };
  },
};
