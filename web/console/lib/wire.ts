// Wire shapes the console reads whose schemas live beside their routes (src/admin-api/routes/policies.ts,
// conditions.ts, analytics.ts) rather than in src/model, mirrored here so the web build imports nothing from a route.

/** The JSON Schema subset the policies' config schemas use (TypeBox output). */
export interface JsonSchema {
  type?: string | string[];
  title?: string;
  description?: string;
  default?: unknown;
  const?: unknown;
  enum?: unknown[];
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  patternProperties?: Record<string, JsonSchema>;
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  minItems?: number;
  maxItems?: number;
  uniqueItems?: boolean;
  examples?: unknown[];
}

export interface PolicyInfo {
  name: string;
  summary: string;
  apigee: string;
  configSchema: JsonSchema;
  errors: Array<{ code: string; status: number; faultName?: string; apigeeCode?: string; when?: string }>;
  variables: Record<string, string>;
  docs: string;
}

export type ConditionCheck = { valid: true } | { valid: false; message: string; position: number };

export interface TrafficPoint {
  start: string;
  calls: number;
  errors: number;
  /** Null when the bucket had no calls. */
  avgLatencyMs: number | null;
  p95LatencyMs: number | null;
}

export interface Traffic {
  from: string;
  to: string;
  bucketSeconds: number;
  totals: { calls: number; errors: number; avgLatencyMs: number | null; p95LatencyMs: number | null };
  series: TrafficPoint[];
  byApi: Array<{ api: string; calls: number; errors: number }>;
  recent: Array<{
    at: string;
    requestId: string;
    api: string | null;
    app: string | null;
    developer: string | null;
    method: string;
    path: string;
    status: number;
    totalLatencyMs: number;
    faultCode: string | null;
  }>;
}
