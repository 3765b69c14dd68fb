// Ratios to the floors, and the goals of issue 6, each met or not from the ratios of one run.
import type { BenchReport, ScenarioResult } from './results.ts';

/** The floors every scenario is compared with. */
export const FLOORS = { bareProxy: 'bare-proxy', bareToken: 'bare-token', nginx: 'nginx', ceiling: 'ceiling' } as const;

export interface Ratios {
  vsBareProxy?: number;
  vsBareToken?: number;
  vsNginx?: number;
  /** Share of the rig's ceiling (load generator straight at the upstream); near 1 the rig, not the server, is the limit. */
  vsCeiling?: number;
}

function rpsOf(report: Pick<BenchReport, 'scenarios'>, id: string): number | undefined {
  const s = report.scenarios.find((x) => x.id === id);
  return s && s.status === 'ok' && s.summary ? s.summary.rps : undefined;
}

const ratio = (a: number | undefined, b: number | undefined) => (a !== undefined && b !== undefined && b > 0 ? a / b : undefined);

export function ratiosFor(report: Pick<BenchReport, 'scenarios'>, scenario: ScenarioResult): Ratios {
  const rps = scenario.status === 'ok' ? scenario.summary?.rps : undefined;
  if (rps === undefined) return {};
  const out: Ratios = {};
  if (scenario.kind !== 'token') {
    out.vsBareProxy = ratio(rps, rpsOf(report, FLOORS.bareProxy));
    out.vsNginx = ratio(rps, rpsOf(report, FLOORS.nginx));
    if (scenario.kind === 'proxy') out.vsCeiling = ratio(rps, rpsOf(report, FLOORS.ceiling));
  } else out.vsBareToken = ratio(rps, rpsOf(report, FLOORS.bareToken));
  for (const key of Object.keys(out) as Array<keyof Ratios>) if (out[key] === undefined) delete out[key];
  return out;
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
  const rps = (id: string) => rpsOf(report, id);
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
    goal('proxy', 'Plain proxy ≥ 0.95× the bare Node proxy', ratio(rps('gatehouse-proxy'), rps('bare-proxy')), 0.95, 'min', '×', 'gatehouse-proxy / bare-proxy'),
    goal('policies', 'VerifyAccessToken + quota + spike arrest ≥ 0.8× the bare Node proxy', ratio(rps('gatehouse-verify-opaque'), rps('bare-proxy')), 0.8, 'min', '×', 'gatehouse-verify-opaque / bare-proxy'),
    goal('policies-jwt', 'The same with JWT access tokens ≥ 0.8× the bare Node proxy', ratio(rps('gatehouse-verify-jwt'), rps('bare-proxy')), 0.8, 'min', '×', 'gatehouse-verify-jwt / bare-proxy'),
    goal('policies-nginx', 'VerifyAccessToken + quota + spike arrest about 0.5× nginx (≥ 0.5×)', ratio(rps('gatehouse-verify-opaque'), rps('nginx')), 0.5, 'min', '×', 'gatehouse-verify-opaque / nginx'),
    goal('vs-express-gateway', 'VerifyAccessToken + quota + spike arrest ≥ 10× Express Gateway with oauth2 + rate-limit', ratio(rps('gatehouse-verify-opaque'), rps('eg-oauth2-rate-limit')), 10, 'min', '×', 'gatehouse-verify-opaque / eg-oauth2-rate-limit'),
    goal('issue-opaque', 'Opaque token issuance, durably stored, ≥ 0.8× the bare Node token endpoint', ratio(rps('gatehouse-token-opaque'), rps('bare-token')), 0.8, 'min', '×', 'gatehouse-token-opaque / bare-token'),
    goal('issue-vs-oidc', 'Opaque token issuance about 3× oidc-provider (≥ 3×)', ratio(rps('gatehouse-token-opaque'), rps('oidc-token-opaque')), 3, 'min', '×', 'gatehouse-token-opaque / oidc-token-opaque'),
    goal('jwt-default', "JWT issuance, our default algorithm (ES256), ≥ 5× oidc-provider's default (RS256)", ratio(rps('gatehouse-token-jwt'), rps('oidc-token-jwt-rs256')), 5, 'min', '×', 'gatehouse-token-jwt / oidc-token-jwt-rs256'),
    goal('jwt-same-alg', 'JWT issuance with the same algorithm (ES256) ≥ 1× oidc-provider', ratio(rps('gatehouse-token-jwt'), rps('oidc-token-jwt-es256')), 1, 'min', '×', 'gatehouse-token-jwt / oidc-token-jwt-es256'),
    goal('latency-proxy', 'p99 added at half of maximum load ≤ 1 ms over the bare Node proxy (plain proxy)', latency('added-latency-proxy'), 1, 'max', 'ms', 'added-latency-proxy'),
    goal('latency-policies', 'p99 added at half of maximum load ≤ 1 ms over the bare Node proxy (VerifyAccessToken + quota + spike arrest)', latency('added-latency-policies'), 1, 'max', 'ms', 'added-latency-policies'),
    goal('1m-issue', 'With 1,000,000 stored tokens, issuance within 10% of the empty store (≥ 0.9×)', ratio(rps('gatehouse-1m-token-opaque'), rps('gatehouse-token-opaque')), 0.9, 'min', '×', 'gatehouse-1m-token-opaque / gatehouse-token-opaque'),
    goal('1m-verify', 'With 1,000,000 stored tokens, verification within 10% of the empty store (≥ 0.9×)', ratio(rps('gatehouse-1m-verify-opaque'), rps('gatehouse-verify-opaque')), 0.9, 'min', '×', 'gatehouse-1m-verify-opaque / gatehouse-verify-opaque'),
    goal('1m-rss', 'With 1,000,000 stored tokens, RSS under load ≤ 150 MB', rss1m.length ? Math.max(...rss1m) / MB : undefined, 150, 'max', 'MB', 'peak RSS (VmHWM) of gatehouse-1m-*'),
    goal('1m-ready', 'With 1,000,000 stored tokens, ready to serve ≤ 1 s after start', scenario('gatehouse-1m-verify-opaque')?.readyMs, 1000, 'max', 'ms', 'spawn to first 200 of gatehouse-1m-verify-opaque'),
  ];
}
