// /analytics/traffic: calls, errors and latency over time, per API, and the latest calls, for the console's dashboards.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type, type Static } from '@sinclair/typebox';
import { GatehouseError } from '../../errors.ts';
import { bucketCount, trafficReport, type TrafficQuery, type TrafficReport, type TrafficSource } from '../../gateway/traffic.ts';
import { Email, iso, Name } from '../../model/common.ts';
import type { Clock } from '../../util/clock.ts';
import { ACCESS } from '../access.ts';
import { errorResponses } from '../schemas.ts';

/** How many buckets one report may have. */
export const MAX_BUCKETS = 1000;
const DEFAULT_RANGE_MS = 3_600_000;
/** Bucket sizes (seconds) the default picks from: the smallest that gives at most ~60 buckets. */
const BUCKET_LADDER = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10_800, 21_600, 43_200, 86_400];
const TARGET_BUCKETS = 60;

// A zone is required: a time without one would be read in the server's local time.
const INSTANT_PATTERN = '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,9})?)?(Z|[+-]\\d{2}:\\d{2})$';
const instantParam = (description: string) => Type.String({ pattern: INSTANT_PATTERN, description, examples: ['2026-01-01T12:00:00Z'] });
const timestamp = (description: string) => Type.String({ description, examples: ['2026-01-01T12:00:00.000Z'] });

const TrafficParams = Type.Object(
  {
    from: Type.Optional(instantParam('Start of the range (inclusive): an ISO 8601 date and time with a zone, e.g. 2026-01-01T12:00:00Z. Default: an hour before `to`.')),
    to: Type.Optional(instantParam('End of the range (exclusive): an ISO 8601 date and time with a zone, e.g. 2026-01-01T13:00:00Z. Default: now.')),
    bucket: Type.Optional(Type.Integer({ minimum: 1, maximum: 86_400, description: 'Bucket size in seconds (1 to 86400). Default: the size that gives about 60 buckets. At most 1000 buckets.' })),
    api: Type.Optional(Type.String({ pattern: Name.pattern, maxLength: 100, description: 'Only calls to this API.' })),
    developer: Type.Optional(Type.String({ pattern: Email.pattern, maxLength: 254, description: 'Only calls by apps of this developer (email).' })),
    app: Type.Optional(Type.String({ pattern: Name.pattern, maxLength: 100, description: 'Only calls by apps of this name; pass `developer` too, as app names are unique per developer.' })),
  },
  { additionalProperties: false },
);
type TrafficParams = Static<typeof TrafficParams>;

const Latency = (what: string) => Type.Union([Type.Number(), Type.Null()], { description: `${what} total latency in milliseconds (gateway in to gateway out); null when there were no calls.` });
const Calls = Type.Integer({ minimum: 0, description: 'Calls.' });
const Errors = Type.Integer({ minimum: 0, description: 'Calls answered with a status of 400 or more.' });

const TrafficView = Type.Object(
  {
    from: timestamp('Start of the range (inclusive), ISO 8601 in UTC.'),
    to: timestamp('End of the range (exclusive), ISO 8601 in UTC.'),
    bucketSeconds: Type.Integer({ description: 'Size of each bucket of `series`, in seconds.' }),
    totals: Type.Object(
      { calls: Calls, errors: Errors, avgLatencyMs: Latency('Mean'), p95LatencyMs: Latency('95th percentile (nearest rank) of the') },
      { additionalProperties: false, description: 'The whole range.' },
    ),
    series: Type.Array(
      Type.Object(
        { start: timestamp('Start of the bucket, ISO 8601 in UTC.'), calls: Calls, errors: Errors, avgLatencyMs: Latency('Mean'), p95LatencyMs: Latency('95th percentile (nearest rank) of the') },
        { additionalProperties: false },
      ),
      { description: 'One entry per bucket from `from` up to `to`, oldest first; buckets without calls are there with 0 calls.' },
    ),
    byApi: Type.Array(Type.Object({ api: Type.String({ description: 'The API.' }), calls: Calls, errors: Errors }, { additionalProperties: false }), {
      description: 'Calls per API, most first. Calls that matched no API (404 `gateway.no_route`) count in the totals only.',
    }),
    recent: Type.Array(
      Type.Object(
        {
          at: timestamp('When the call came in, ISO 8601 in UTC.'),
          requestId: Type.String({ description: 'The request id the gateway gave the call (its `x-request-id`).' }),
          api: Type.Union([Type.String(), Type.Null()], { description: 'The API, or null when the call matched none.' }),
          app: Type.Union([Type.String(), Type.Null()], { description: 'The calling app, when a security step identified it.' }),
          developer: Type.Union([Type.String(), Type.Null()], { description: "The app's developer (email), when identified." }),
          method: Type.String({ description: 'The HTTP method.' }),
          path: Type.String({ description: 'The path, without the query.' }),
          status: Type.Integer({ description: 'The status the client got.' }),
          totalLatencyMs: Type.Number({ description: 'Milliseconds from gateway in to gateway out.' }),
          faultCode: Type.Union([Type.String(), Type.Null()], { description: 'The error code of the fault, if the call raised one.' }),
        },
        { additionalProperties: false },
      ),
      { description: 'The latest calls in the range, newest first, at most 20.' },
    ),
  },
  { additionalProperties: false },
);
type TrafficView = Static<typeof TrafficView>;

function invalid(path: string, message: string): GatehouseError {
  return new GatehouseError('request.invalid', `Invalid query field ${path}: ${message}.`, { details: { errors: [{ path, message }] } });
}

function instant(value: string, field: string): number {
  const ms = Date.parse(value);
  // Date.parse rolls 2026-02-30 over into March: the written fields must survive the round trip.
  const [, year, month, day, hour, minute, second = '0'] = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?/.exec(value) ?? [];
  const fields = [year, month, day, hour, minute, second].map(Number);
  const probe = new Date(Date.UTC(fields[0] as number, (fields[1] as number) - 1, fields[2], fields[3], fields[4], fields[5]));
  const exists = [probe.getUTCFullYear(), probe.getUTCMonth() + 1, probe.getUTCDate(), probe.getUTCHours(), probe.getUTCMinutes(), probe.getUTCSeconds()].every((v, i) => v === fields[i]);
  if (Number.isNaN(ms) || !exists) throw invalid(`/${field}`, `'${value}' is not a date and time that exists`);
  return ms;
}

/** The smallest bucket of the ladder that cuts the range into at most about 60 buckets. */
function defaultBucketSeconds(rangeMs: number): number {
  const wanted = rangeMs / 1000 / TARGET_BUCKETS;
  return BUCKET_LADDER.find((seconds) => seconds >= wanted) ?? (BUCKET_LADDER[BUCKET_LADDER.length - 1] as number);
}

/** The query the parameters ask for, with the defaults filled in; throws request.invalid when it makes no sense. */
export function trafficQuery(params: TrafficParams, now: number): TrafficQuery {
  const to = params.to === undefined ? now : instant(params.to, 'to');
  const from = params.from === undefined ? to - DEFAULT_RANGE_MS : instant(params.from, 'from');
  if (from >= to) throw invalid('/from', `the range must not be empty: from (${iso(from)}) must come before to (${iso(to)})`);
  const bucketSeconds = params.bucket ?? defaultBucketSeconds(to - from);
  const query: TrafficQuery = { from, to, bucketMs: bucketSeconds * 1000 };
  const count = bucketCount(query);
  if (count > MAX_BUCKETS) {
    throw invalid('/bucket', `${bucketSeconds}-second buckets cut the range into ${count} buckets, and a report has at most ${MAX_BUCKETS}; choose larger buckets or a shorter range`);
  }
  if (params.api !== undefined) query.api = params.api;
  if (params.developer !== undefined) query.developer = params.developer;
  if (params.app !== undefined) query.app = params.app;
  return query;
}

function toView(report: TrafficReport): TrafficView {
  return {
    from: iso(report.from),
    to: iso(report.to),
    bucketSeconds: report.bucketMs / 1000,
    totals: report.totals,
    series: report.series.map((b) => ({ ...b, start: iso(b.start) })),
    byApi: report.byApi,
    recent: report.recent.map((r) => ({
      at: iso(r.at),
      requestId: r.requestId,
      api: r.api,
      app: r.app,
      developer: r.developer,
      method: r.method,
      path: r.path,
      status: r.status,
      totalLatencyMs: r.totalLatencyMs,
      faultCode: r.faultCode,
    })),
  };
}

/** `traffic` absent (a control plane with no gateway in the process): every report is empty. */
export function analyticsRoutes(clock: Clock, traffic: TrafficSource | undefined): FastifyPluginAsyncTypebox {
  return async function registerAnalyticsRoutes(app) {
    app.get(
      '/analytics/traffic',
      {
        config: { access: ACCESS.read },
        schema: {
          tags: ['analytics'],
          summary: 'Report calls, errors and latency over time',
          description: 'Counts the gateway calls that came in between `from` and `to`, in buckets, per API, with the latest calls. Filters combine.',
          querystring: TrafficParams,
          response: { 200: TrafficView, ...errorResponses },
        },
      },
      async function trafficRoute(request) {
        const query = trafficQuery(request.query, clock.now());
        return toView(traffic ? traffic.traffic(query) : trafficReport([], query));
      },
    );
  };
}
