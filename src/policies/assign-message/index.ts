// The assign-message policy (Apigee AssignMessage): remove, add and set headers, query parameters, the payload and
// the status of a message, and set flow variables. It changes messages; it never answers by itself (raise-fault
// and the steps that respond do), so in the request flow it can change only the request.
import { PolicyConfigError, StepFault, type FlowContext, type PolicyDefinition, type RequestView, type ResponseView, type StepFunction, type VariableValue } from '../policy.ts';
import { compileTemplate, type TemplateOptions } from '../template.ts';
import { AssignMessageConfig } from './config.ts';
import { appendHeader, fieldValue, FRAMING_HEADERS, headerName } from './headers.ts';
import { compileStatus } from './status.ts';

type Message = RequestView | ResponseView;
type Operation = (context: FlowContext, message: Message) => void;

export function unresolvedVariable(name: string): StepFault {
  return new StepFault({
    faultName: 'UnresolvedVariable',
    code: 'assign-message.unresolved_variable',
    apigeeCode: 'steps.assignmessage.UnresolvedVariable',
    status: 500,
    message: `Unresolved variable : ${name}`,
  });
}

interface Compiling {
  readonly target: 'request' | 'response';
  readonly templates: TemplateOptions;
  readonly payloadTemplates: TemplateOptions;
}

function requestOnly(c: Compiling, what: string): void {
  if (c.target !== 'request') throw new PolicyConfigError(`${what} applies to the request only; this step changes the response.`);
}

function headerOperations(values: Readonly<Record<string, string>>, where: string, c: Compiling, append: boolean): Operation[] {
  return Object.entries(values).map(([rawName, source]) => {
    const name = headerName(rawName, where);
    const template = compileTemplate(source, c.templates);
    return append
      ? (context, message) => appendHeader(message.headers, name, fieldValue(template.render(context)))
      : (context, message) => message.setHeader(name, fieldValue(template.render(context)));
  });
}

function queryOperations(values: Readonly<Record<string, string>>, c: Compiling, append: boolean): Operation[] {
  return Object.entries(values).map(([name, source]) => {
    const template = compileTemplate(source, c.templates);
    return append ? (context) => context.request.query.append(name, template.render(context)) : (context) => context.request.query.set(name, template.render(context));
  });
}

function removeOperations(remove: NonNullable<AssignMessageConfig['remove']>, c: Compiling): Operation[] {
  const ops: Operation[] = [];
  if (remove.headers) {
    if (remove.headers.includes('*')) {
      ops.push((_context, message) => {
        for (const name of Object.keys(message.headers)) if (!FRAMING_HEADERS.has(name)) message.removeHeader(name);
      });
    } else {
      const names = remove.headers.map((n) => headerName(n, 'remove.headers'));
      ops.push((_context, message) => {
        for (const name of names) message.removeHeader(name);
      });
    }
  }
  if (remove.queryParams) {
    requestOnly(c, 'remove.queryParams');
    const all = remove.queryParams.includes('*');
    const names = remove.queryParams;
    ops.push((context) => {
      const query = context.request.query;
      for (const name of all ? [...new Set(query.keys())] : names) query.delete(name);
    });
  }
  if (remove.payload) {
    ops.push((_context, message) => {
      message.setBody('');
      message.removeHeader('content-type');
    });
  }
  return ops;
}

function addOperations(add: NonNullable<AssignMessageConfig['add']>, c: Compiling): Operation[] {
  const ops: Operation[] = [];
  if (add.headers) ops.push(...headerOperations(add.headers, 'add.headers', c, true));
  if (add.queryParams) {
    requestOnly(c, 'add.queryParams');
    ops.push(...queryOperations(add.queryParams, c, true));
  }
  return ops;
}

function setOperations(set: NonNullable<AssignMessageConfig['set']>, c: Compiling): Operation[] {
  const ops: Operation[] = [];
  if (set.headers) ops.push(...headerOperations(set.headers, 'set.headers', c, false));
  if (set.queryParams) {
    requestOnly(c, 'set.queryParams');
    ops.push(...queryOperations(set.queryParams, c, false));
  }
  if (set.payload !== undefined) {
    const payload = compileTemplate(set.payload, c.payloadTemplates);
    const contentType = set.contentType === undefined ? undefined : fieldValue(set.contentType);
    ops.push((context, message) => {
      message.setBody(payload.render(context));
      if (contentType !== undefined) message.setHeader('content-type', contentType);
    });
  } else if (set.contentType !== undefined) {
    const contentType = fieldValue(set.contentType);
    ops.push((_context, message) => message.setHeader('content-type', contentType));
  }
  if (set.statusCode !== undefined) {
    if (c.target !== 'response') throw new PolicyConfigError('set.statusCode applies to the response only; this step changes the request.');
    const status = compileStatus(set.statusCode, 'set.statusCode', c.templates);
    ops.push((context, message) => {
      const value = status(context);
      if (value !== undefined) (message as ResponseView).status = value;
    });
  }
  return ops;
}

function variableOperations(assignments: NonNullable<AssignMessageConfig['assignVariables']>, c: Compiling): Operation[] {
  return assignments.map((a, i) => {
    const where = `assignVariables[${i}] (${a.name})`;
    if (a.template !== undefined) {
      if (a.value !== undefined || a.ref !== undefined) throw new PolicyConfigError(`${where}: give a template, or a value and/or a ref, not both.`);
      const template = compileTemplate(a.template, c.templates);
      return (context) => context.set(a.name, template.render(context));
    }
    if (a.ref !== undefined) {
      const ref = a.ref;
      const fallback: VariableValue = a.value;
      // Apigee: the value is the default when the referenced variable is not set.
      return (context) => context.set(a.name, context.get(ref) ?? fallback);
    }
    if (a.value !== undefined) {
      const value = a.value;
      return (context) => context.set(a.name, value);
    }
    throw new PolicyConfigError(`${where}: give a value, a ref or a template.`);
  });
}

export const assignMessage: PolicyDefinition<typeof AssignMessageConfig> = {
  name: 'assign-message',
  summary: 'Change the request or the response (headers, query parameters, payload, status) and set flow variables, with `{variable}` templates.',
  apigee: 'AssignMessage',
  config: AssignMessageConfig,
  errors: [
    {
      code: 'assign-message.unresolved_variable',
      status: 500,
      faultName: 'UnresolvedVariable',
      apigeeCode: 'steps.assignmessage.UnresolvedVariable',
      when: 'A template references a variable that is not set, and `ignoreUnresolvedVariables` is false (the default).',
    },
  ],
  variables: {
    '<assignVariables[].name>': 'Each variable in `assignVariables`, set to its value, the referenced variable or the rendered template.',
  },
  create(config, _deps, placement): StepFunction {
    const target = config.assignTo ?? (placement.phase === 'request' ? 'request' : 'response');
    if (target === 'response' && placement.phase === 'request') {
      throw new PolicyConfigError(
        'assignTo response needs a response, and the request flow has none yet: place this step in a response flow (with no target, the response flow runs on an empty 200 it can shape), or answer from the request flow with raise-fault.',
      );
    }
    const unresolved = config.ignoreUnresolvedVariables ? undefined : unresolvedVariable;
    const c: Compiling = {
      target,
      templates: { unresolved },
      payloadTemplates: { prefix: config.variablePrefix, suffix: config.variableSuffix, unresolved },
    };
    // Apigee X runs Remove, Add, Set and AssignVariable in the order the policy lists them; so does Gatehouse.
    const ops: Operation[] = [];
    for (const key of Object.keys(config)) {
      if (key === 'remove' && config.remove) ops.push(...removeOperations(config.remove, c));
      else if (key === 'add' && config.add) ops.push(...addOperations(config.add, c));
      else if (key === 'set' && config.set) ops.push(...setOperations(config.set, c));
      else if (key === 'assignVariables' && config.assignVariables) ops.push(...variableOperations(config.assignVariables, c));
    }
    return function assignMessageStep(context) {
      const message = target === 'request' ? context.request : context.response;
      if (!message) return; // the response and fault flows always have a response; nothing else reaches here
      for (const op of ops) op(context, message);
    };
  },
};
