// Ratios to the floors, and the goals of issue 6, each met or not from the ratios of one run.
import type { BenchReport, ScenarioResult } from './results.ts';
import { median } from './stats.ts';

/** The floors every scenario is compared with. */
export const FLOORS = { bareProxy: 'bare-proxy', bareToken: 'bare-token', nginx: 'nginx', ceiling: 'ceiling' } as const;

export interface Ratios {
  vsBareProxy?: number;
  vsBareToken?: number;
  vsNginx?: number;
  /** Share of the rig's ceiling (load generator straight at the upstream); near 1 the rig, not the server, is the limit. */
  vsCeiling?: number;
}

const measured = (report: Pick<BenchReport, 'scenarios'>, id: string) => report.scenarios.find((x) => x.id === id && x.status === 'ok' && x.summary);

/**
 * How many times faster `a` was than `b` in one bench run. When both have a run in every round, the ratio is the
 * median of the rounds' ratios: the two runs of a round were measured minutes apart at most (next to each other, for
 * a scenario and its floor; see SCHEDULE), while this machine's speed moves by ±20–40% over minutes, so a ratio of
 * runs close in time holds better than the ratio of the two medians. Otherwise (a run failed), the ratio of medians.
 */
export function pairedRatio(report: Pick<BenchReport, 'scenarios'>, a: string, b: string): number | undefined {
  const [x, y] = [measured(report, a), measured(report, b)];
  if (!x?.summary || !y?.summary || y.summary.rps <= 0) return undefined;
  const [xs, ys] = [x.runs ?? [], y.runs ?? []];
  if (xs.length > 0 && xs.length === ys.length && ys.every((r) => r.rps > 0)) return median(xs.map((r, i) => r.rps / (ys[i] as { rps: number }).rps));
  return x.summary.rps / y.summary.rps;
}

export function ratiosFor(report: Pick<BenchReport, 'scenarios'>, scenario: ScenarioResult): Ratios {
  if (scenario.status !== 'ok' || !scenario.summary) return {};
  const ratio = (floor: string) => pairedRatio(report, scenario.id, floor);
  const out: Ratios = {};
  if (scenario.kind !== 'token') {
    out.vsBareProxy = ratio(FLOORS.bareProxy);
    out.vsNginx = ratio(FLOORS.nginx);
    if (scenario.kind === 'proxy') out.vsCeiling = ratio(FLOORS.ceiling);
  } else out.vsBareToken = ratio(FLOORS.bareToken);
  for (const key of Object.keys(out) as Array<keyof Ratios>) if (out[key] === undefined) delete out[key];
  return out;
}

/**
 * The p99 latency the gateway adds over the bare proxy, from rounds at the same fixed rate (round i: the bare proxy's
 * run, then the gateway's). Each round gives gateway p99 − bare p99; the answer is the median of those differences,
 * as a ratio is the median of its rounds' ratios. A single round's p99 moves by a millisecond or more on this machine
 * (a stall on the load core lands on whichever server is measured), so the rounds are paired and their spread kept.
 */
export function addedP99(bareP99Ms: readonly number[], gatewayP99Ms: readonly number[]): { addedP99Ms: number; addedP99ByRoundMs: number[] } {
  if (bareP99Ms.length === 0 || bareP99Ms.length !== gatewayP99Ms.length) throw new Error('addedP99 needs one bare and one gateway p99 per round.');
  const addedP99ByRoundMs = gatewayP99Ms.map((g, i) => g - (bareP99Ms[i] as number));
  return { addedP99Ms: median(addedP99ByRoundMs), addedP99ByRoundMs };
}

/** A proxy scenario at or above this share of the ceiling is limited by the rig: its RPS is a lower bound. */
export const RIG_BOUND = 0.9;

export interface Goal {
  id: string;
  text: string;
  /** The measured value (a ratio, ms, MB), when both sides were measured. */
  value?: number;
  unit: '×' | 'ms' | 'MB';
  target: number;
  /** 'min': value ≥ target; 'max': value ≤ target. */
  direction: 'min' | 'max';
  /** undefined: not measured in this run (a scenario was skipped, failed or left out). */
  met?: boolean;
  /** Which scenarios it compares. */
  basis: string;
}

const MB = 1024 * 1024;

/** The goals of issue 6, computed from one run's results. */
export function computeGoals(report: Pick<BenchReport, 'scenarios' | 'latency'>): Goal[] {
  const ratio = (a: string, b: string) => pairedRatio(report, a, b);
  const goal = (id: string, text: string, value: number | undefined, target: number, direction: 'min' | 'max', unit: Goal['unit'], basis: string): Goal => {
    const g: Goal = { id, text, unit, target, direction, basis };
    if (value !== undefined && Number.isFinite(value)) {
      g.value = value;
      g.met = direction === 'min' ? value >= target : value <= target;
    }
    return g;
  };
  const latency = (id: string) => {
    const l = report.latency.find((x) => x.id === id);
    return l && l.status === 'ok' ? l.addedP99Ms : undefined;
  };
  const scenario = (id: string) => report.scenarios.find((s) => s.id === id && s.status === 'ok');
  const rss1m = [scenario('gatehouse-1m-token-opaque'), scenario('gatehouse-1m-verify-opaque')].map((s) => s?.peakRssBytes).filter((v): v is number => v !== undefined);
  return [
    goal('proxy', 'Plain proxy ≥ 0.95× the bare Node proxy', ratio('gatehouse-proxy', 'bare-proxy'), 0.95, 'min', '×', 'gatehouse-proxy / bare-proxy'),
    goal('policies', 'VerifyAccessToken + quota + spike arrest ≥ 0.8× the bare Node proxy', ratio('gatehouse-verify-opaque', 'bare-proxy'), 0.8, 'min', '×', 'gatehouse-verify-opaque / bare-proxy'),
    goal('policies-jwt', 'The same with JWT access tokens ≥ 0.8× the bare Node proxy', ratio('gatehouse-verify-jwt', 'bare-proxy'), 0.8, 'min', '×', 'gatehouse-verify-jwt / bare-proxy'),
    goal('policies-nginx', 'VerifyAccessToken + quota + spike arrest about 0.5× nginx (≥ 0.5×)', ratio('gatehouse-verify-opaque', 'nginx'), 0.5, 'min', '×', 'gatehouse-verify-opaque / nginx'),
    goal('vs-express-gateway', 'VerifyAccessToken + quota + spike arrest ≥ 10× Express Gateway with oauth2 + rate-limit', ratio('gatehouse-verify-opaque', 'eg-oauth2-rate-limit'), 10, 'min', '×', 'gatehouse-verify-opaque / eg-oauth2-rate-limit'),
    goal('issue-opaque', 'Opaque token issuance, durably stored, ≥ 0.8× the bare Node token endpoint', ratio('gatehouse-token-opaque', 'bare-token'), 0.8, 'min', '×', 'gatehouse-token-opaque / bare-token'),
    goal('issue-vs-oidc', 'Opaque token issuance about 3× oidc-provider (≥ 3×)', ratio('gatehouse-token-opaque', 'oidc-token-opaque'), 3, 'min', '×', 'gatehouse-token-opaque / oidc-token-opaque'),
    goal('jwt-default', "JWT issuance, our default algorithm (ES256), ≥ 5× oidc-provider's default (RS256)", ratio('gatehouse-token-jwt', 'oidc-token-jwt-rs256'), 5, 'min', '×', 'gatehouse-token-jwt / oidc-token-jwt-rs256'),
    goal('jwt-same-alg', 'JWT issuance with the same algorithm (ES256) ≥ 1× oidc-provider', ratio('gatehouse-token-jwt', 'oidc-token-jwt-es256'), 1, 'min', '×', 'gatehouse-token-jwt / oidc-token-jwt-es256'),
    goal('latency-proxy', 'p99 added at half of maximum load ≤ 1 ms over the bare Node proxy (plain proxy)', latency('added-latency-proxy'), 1, 'max', 'ms', 'added-latency-proxy'),
    goal('latency-policies', 'p99 added at half of maximum load ≤ 1 ms over the bare Node proxy (VerifyAccessToken + quota + spike arrest)', latency('added-latency-policies'), 1, 'max', 'ms', 'added-latency-policies'),
    goal('1m-issue', 'With 1,000,000 stored tokens, issuance within 10% of the empty store (≥ 0.9×)', ratio('gatehouse-1m-token-opaque', 'gatehouse-token-opaque'), 0.9, 'min', '×', 'gatehouse-1m-token-opaque / gatehouse-token-opaque'),
    goal('1m-verify', 'With 1,000,000 stored tokens, verification within 10% of the empty store (≥ 0.9×)', ratio('gatehouse-1m-verify-opaque', 'gatehouse-verify-opaque'), 0.9, 'min', '×', 'gatehouse-1m-verify-opaque / gatehouse-verify-opaque'),
    goal('1m-rss', 'With 1,000,000 stored tokens, RSS under load ≤ 150 MB', rss1m.length ? Math.max(...rss1m) / MB : undefined, 150, 'max', 'MB', 'peak RSS (VmHWM) of gatehouse-1m-*'),
    goal('1m-ready', 'With 1,000,000 stored tokens, ready to serve ≤ 1 s after start', scenario('gatehouse-1m-verify-opaque')?.readyMs, 1000, 'max', 'ms', 'spawn to first 200 of gatehouse-1m-verify-opaque'),
  ];
}
