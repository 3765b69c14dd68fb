// Built-in flow variables with Apigee's names, read from the message on demand (nothing is copied per request).
import type { VariableValue } from '../policies/policy.ts';
import type { MessageContext } from './context.ts';

function firstHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(',') : value;
}

/** Resolves a built-in variable; undefined when the name is not one (or not set). */
export function builtInVariable(context: MessageContext, name: string): VariableValue {
  const dot = name.indexOf('.');
  const head = dot === -1 ? name : name.slice(0, dot);
  switch (head) {
    case 'request': {
      const request = context.request;
      if (name === 'request.verb') return request.method;
      if (name === 'request.path') return request.path;
      if (name === 'request.uri') return request.rawQuery ? `${request.path}?${request.rawQuery}` : request.path;
      if (name === 'request.querystring') return request.rawQuery;
      if (name.startsWith('request.header.')) return firstHeader(request.headers[name.slice(15).toLowerCase()]);
      if (name.startsWith('request.queryparam.')) return request.query.get(name.slice(19)) ?? undefined;
      if (name.startsWith('request.formparam.')) return context.formParam(name.slice(18));
      return undefined;
    }
    case 'proxy':
      if (name === 'proxy.pathsuffix') return context.request.pathSuffix;
      if (name === 'proxy.basepath') return context.api.basePath;
      return undefined;
    case 'apiproxy':
      if (name === 'apiproxy.name') return context.api.name;
      if (name === 'apiproxy.revision') return String(context.api.revision);
      return undefined;
    case 'response': {
      const response = context.response;
      if (!response) return undefined;
      if (name === 'response.status.code') return response.status;
      if (name.startsWith('response.header.')) return firstHeader(response.headers[name.slice(16).toLowerCase()]);
      return undefined;
    }
    case 'client':
      return name === 'client.ip' ? context.request.clientIp : undefined;
    case 'environment':
      return name === 'environment.name' ? 'default' : undefined;
    case 'system':
      return name === 'system.timestamp' ? context.now() : undefined;
    case 'error':
      return name === 'error.status.code' ? context.response?.status : undefined;
    default:
      return undefined;
  }
}
