// The scenarios of `npm run bench`: what each one measures, in the order they run.
import type { ScenarioKind } from './results.ts';

export interface ScenarioInfo {
  id: string;
  title: string;
  kind: ScenarioKind;
  /** What exactly is measured, for the docs. */
  measures: string;
  /** Part of `--quick`. */
  quick: boolean;
}

export const SCENARIOS: readonly ScenarioInfo[] = [
  { id: 'ceiling', title: 'Ceiling: load generator straight at the upstream', kind: 'ceiling', quick: true, measures: 'The rig itself: the load generator calls the upstream directly. The upstream shares the load core with the generator in every scenario, so a proxy near this figure is limited by the rig, not by itself.' },
  { id: 'nginx', title: 'nginx proxy_pass, keep-alive upstream', kind: 'proxy', quick: true, measures: 'nginx (one worker, no access log) forwarding to the upstream over a keep-alive pool of 64 connections: the C reference.' },
  { id: 'bare-proxy', title: 'Bare Node proxy (node:http + undici Pool)', kind: 'proxy', quick: true, measures: 'The floor for a Node gateway: node:http in, an undici Pool out, hop-by-hop headers removed, X-Forwarded-For added, bodies streamed; no policies.' },
  { id: 'bare-token', title: 'Bare Node token endpoint (Basic check, token in a Map)', kind: 'token', quick: true, measures: 'The floor for token issuance: POST with HTTP Basic client authentication (SHA-256 of the secret, constant-time compare), grant_type=client_credentials, 32 random bytes kept in a Map (nothing durable).' },
  { id: 'eg-oauth2-rate-limit', title: 'Express Gateway 1.16: oauth2 + rate-limit + proxy', kind: 'proxy', quick: false, measures: 'Express Gateway 1.16 (in-memory Redis emulation) verifying its own opaque bearer tokens (oauth2 policy), counting calls per app (rate-limit, a limit never reached), and proxying to the upstream.' },
  { id: 'oidc-token-opaque', title: 'oidc-provider 9: client_credentials, opaque', kind: 'token', quick: false, measures: 'oidc-provider 9 token endpoint, client_credentials with client_secret_basic, opaque access tokens kept by its in-memory adapter.' },
  { id: 'oidc-token-jwt-rs256', title: 'oidc-provider 9: client_credentials, JWT RS256 (its default)', kind: 'token', quick: false, measures: 'The same, issuing RFC 9068 JWT access tokens (resource indicator) signed with its default algorithm, RS256 (2048-bit key).' },
  { id: 'oidc-token-jwt-es256', title: 'oidc-provider 9: client_credentials, JWT ES256', kind: 'token', quick: false, measures: 'The same, JWT access tokens signed with ES256 (P-256), the algorithm Gatehouse uses by default.' },
  { id: 'gatehouse-proxy', title: 'Gatehouse: plain proxy', kind: 'proxy', quick: true, measures: 'A Gatehouse gateway node (built dist/, SQLite store, log level silent) forwarding to the upstream through an API with a target and no steps.' },
  { id: 'gatehouse-start-proxy', title: 'Gatehouse all-in-one (`gatehouse start`): plain proxy', kind: 'proxy', quick: false, measures: 'The plain proxy served by the all-in-one process (gateway, management API and hub in one), for its memory beside the gateway node every other Gatehouse scenario runs.' },
  { id: 'gatehouse-verify-opaque', title: 'Gatehouse: VerifyAccessToken (opaque, cached) + quota + spike arrest', kind: 'proxy', quick: true, measures: 'An API whose request preFlow runs oauth-v2 VerifyAccessToken (opaque tokens, already in the LRU cache after the first call), quota (per client, a limit never reached) and spike-arrest (1000ps per client_id; 64 clients), then proxies.' },
  { id: 'gatehouse-verify-jwt', title: 'Gatehouse: the same with JWT access tokens', kind: 'proxy', quick: true, measures: 'The same API and steps, presenting ES256 JWT access tokens issued by Gatehouse (signature and claims checked on every call, no store read).' },
  { id: 'gatehouse-token-opaque', title: 'Gatehouse: token issuance, opaque', kind: 'token', quick: true, measures: 'A token API (oauth-v2 GenerateAccessToken, client_credentials, HTTP Basic): each call checks the client and writes the token (its SHA-256) to SQLite before answering.' },
  { id: 'gatehouse-token-jwt', title: 'Gatehouse: token issuance, JWT ES256 (default)', kind: 'token', quick: true, measures: 'The same, issuing JWT access tokens signed with the default algorithm, ES256; the token (by its jti) is stored too.' },
  { id: 'gatehouse-token-jwt-rs256', title: 'Gatehouse: token issuance, JWT RS256', kind: 'token', quick: false, measures: 'The same with RS256, to compare with oidc-provider’s default algorithm.' },
  { id: 'gatehouse-1m-token-opaque', title: 'Gatehouse, 1,000,000 tokens stored: opaque issuance', kind: 'token', quick: false, measures: 'Opaque issuance with 1,000,000 access tokens already in the SQLite file (seeded in one transaction before start).' },
  { id: 'gatehouse-1m-verify-opaque', title: 'Gatehouse, 1,000,000 tokens stored: VerifyAccessToken + quota + spike arrest', kind: 'proxy', quick: false, measures: 'The guarded API with 1,000,000 stored tokens, presenting 64 of the seeded tokens (cached after their first call). Also: time from start to the first verified call.' },
  { id: 'gatehouse-1m-verify-uncached', title: 'Gatehouse, 1,000,000 tokens stored: every call a different token', kind: 'proxy', quick: false, measures: 'The guarded API presenting a different seeded token on every call, cycling through all 1,000,000, so the LRU cache (100,000) never holds it: each call reads SQLite.' },
] as const;

/**
 * The order runs are measured in, each round (reversed every other round): every floor sits next to the scenarios
 * compared with it, so the two runs of a ratio are seconds apart, not minutes (goals.ts pairs them round by round).
 * The bare proxy sits between the plain proxy and the guarded one, nginx and Express Gateway beside the guarded one,
 * the bare token endpoint between opaque issuance and its 1M-token twin, each oidc-provider peer beside the
 * Gatehouse issuance it is compared with.
 */
export const SCHEDULE: readonly string[] = [
  'ceiling',
  'gatehouse-start-proxy',
  'gatehouse-1m-verify-uncached',
  'gatehouse-1m-verify-opaque',
  'nginx',
  'eg-oauth2-rate-limit',
  'gatehouse-verify-opaque',
  'bare-proxy',
  'gatehouse-proxy',
  'gatehouse-verify-jwt',
  'oidc-token-opaque',
  'gatehouse-token-opaque',
  'bare-token',
  'gatehouse-1m-token-opaque',
  'oidc-token-jwt-rs256',
  'gatehouse-token-jwt',
  'oidc-token-jwt-es256',
  'gatehouse-token-jwt-rs256',
];

/**
 * The fixed-rate measures: p99 added over the bare Node proxy at half of the gateway's maximum. The control measures
 * the bare proxy against a second bare proxy at the plain proxy's rate: what the measure reads when the two servers
 * are the same, so a reader can tell an added p99 from this machine's noise. It has no goal.
 */
export const LATENCY_MEASURES = [
  { id: 'added-latency-proxy', title: 'Gatehouse plain proxy vs bare Node proxy at half of Gatehouse’s maximum', gatewayScenario: 'gatehouse-proxy', quick: false, control: false },
  { id: 'added-latency-policies', title: 'Gatehouse VerifyAccessToken + quota + spike arrest vs bare Node proxy at half of its maximum', gatewayScenario: 'gatehouse-verify-opaque', quick: true, control: false },
  { id: 'latency-noise-floor', title: 'bare Node proxy vs a second bare Node proxy at the plain proxy’s rate (the control: the measure’s own noise, no goal)', gatewayScenario: 'gatehouse-proxy', quick: false, control: true },
] as const;

export const ALL_IDS = [...SCENARIOS.map((s) => s.id), ...LATENCY_MEASURES.map((l) => l.id)];
