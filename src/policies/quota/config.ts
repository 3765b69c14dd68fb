// The quota step's configuration schema.
import { Type, type Static } from '@sinclair/typebox';

const VariableName = (description: string) => Type.String({ pattern: '^[A-Za-z_][A-Za-z0-9_.-]*$', maxLength: 200, description });

export const QuotaTimeUnit = Type.Union([Type.Literal('minute'), Type.Literal('hour'), Type.Literal('day'), Type.Literal('week'), Type.Literal('month')], {
  description:
    'Unit of the window. Windows are fixed and aligned to the Unix epoch in UTC: minutes, hours and days start at the top of the minute, hour and UTC day; a week is 7 days from a Thursday 00:00 UTC and a month 30 days (the counters take a window length, not calendar dates).',
});

export const QuotaConfig = Type.Object(
  {
    limit: Type.Integer({
      minimum: 1,
      description:
        "Calls allowed per window (Apigee `<Allow count>`). With `useProductQuota`, the caller's product quota wins; this one applies when the product has none or no security step identified one, so it is required either way.",
    }),
    interval: Type.Integer({ default: 1, minimum: 1, maximum: 1000, description: 'Number of `timeUnit`s in a window (Apigee `<Interval>`). Default 1.' }),
    timeUnit: QuotaTimeUnit,
    useProductQuota: Type.Boolean({
      default: true,
      description:
        'Use the quota of the product that covered the call when it has one: `apiproduct.developer.quota.limit`, `.interval` and `.timeunit`, set by a verify-api-key or oauth-v2 VerifyAccessToken step before this one (Apigee `<UseQuotaConfigInAPIProduct>`). Its counter then belongs to the product, shared by every API of the product whose quota step has the same name. Default true.',
    }),
    identifier: Type.Optional(
      VariableName(
        'Flow variable whose value gets its own counter (Apigee `<Identifier ref>`), e.g. `request.header.x-tenant`. Absent, or not set on a call: the client id of the caller a security step identified, else `client.ip`.',
      ),
    ),
    weight: Type.Optional(
      VariableName('Flow variable holding how many calls this message counts for, a non-negative integer (Apigee `<MessageWeight ref>`). Absent or not set on a call: 1.'),
    ),
    rateLimitHeaders: Type.Boolean({
      default: true,
      description:
        'Put `RateLimit-Limit`, `RateLimit-Remaining` and `RateLimit-Reset` on every response the call gets (as Kong does). `false`: only a refused call carries them, with `Retry-After`, and other responses are left as the target sent them (as Apigee does). Default true.',
    }),
    status: Type.Integer({
      default: 429,
      minimum: 400,
      maximum: 599,
      description: 'Status of the quota violation. 429 (RFC 6585, as Apigee X) by default; 500 answers like Apigee Edge and SAP API Management.',
    }),
  },
  {
    additionalProperties: false,
    description:
      'Count calls per identifier in fixed windows and refuse those over the limit (Apigee Quota). Sets `ratelimit.<step>.*`, puts RateLimit-* headers on every response (unless `rateLimitHeaders` is false), and answers violations with them and Retry-After.',
  },
);
export type QuotaConfig = Static<typeof QuotaConfig>;
