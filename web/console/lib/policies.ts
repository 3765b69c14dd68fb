// The policy list (GET /policies), loaded once per console session and shared by every flow editor.
import { api } from '../../shared/api.ts';
import type { PolicyInfo } from './wire.ts';

let cached: Promise<PolicyInfo[]> | undefined;

export function loadPolicies(): Promise<PolicyInfo[]> {
  cached ??= api.get<{ items: PolicyInfo[] }>('/policies').then(
    (answer) => answer.items,
    (error: unknown) => {
      cached = undefined;
      throw error;
    },
  );
  return cached;
}
