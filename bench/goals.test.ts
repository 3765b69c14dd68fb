import { describe, expect, it } from 'vitest';
import { addedP99, computeGoals, pairedRatio, ratiosFor } from './goals.ts';
import type { LoadResult } from './load.ts';
import type { LatencyResult, ScenarioResult } from './results.ts';
import type { RunSummary } from './stats.ts';

const summary = (rps: number): RunSummary => ({ rps, p50Ms: 1, p99Ms: 2, rpsMin: rps, rpsMax: rps, runs: 3, requests: rps * 30, failedResponses: 0, socketErrors: 0, errorRate: 0 });
const ok = (id: string, kind: ScenarioResult['kind'], rps: number, extra: Partial<ScenarioResult> = {}): ScenarioResult => ({ id, title: id, kind, status: 'ok', summary: summary(rps), ...extra });

const scenarios: ScenarioResult[] = [
  ok('ceiling', 'ceiling', 20_000),
  ok('nginx', 'proxy', 19_000),
  ok('bare-proxy', 'proxy', 10_000),
  ok('bare-token', 'token', 8000),
  ok('eg-oauth2-rate-limit', 'proxy', 600),
  ok('oidc-token-opaque', 'token', 2000),
  ok('oidc-token-jwt-rs256', 'token', 800),
  ok('oidc-token-jwt-es256', 'token', 1500),
  ok('gatehouse-proxy', 'proxy', 9600),
  ok('gatehouse-verify-opaque', 'proxy', 7000),
  ok('gatehouse-verify-jwt', 'proxy', 5000),
  ok('gatehouse-token-opaque', 'token', 6500),
  ok('gatehouse-token-jwt', 'token', 4000),
  ok('gatehouse-1m-token-opaque', 'token', 6000, { peakRssBytes: 140 * 1024 * 1024 }),
  ok('gatehouse-1m-verify-opaque', 'proxy', 6900, { peakRssBytes: 160 * 1024 * 1024, readyMs: 700 }),
];
const latency: LatencyResult[] = [{ id: 'added-latency-policies', title: '', gatewayScenario: 'gatehouse-verify-opaque', status: 'ok', addedP99Ms: 0.6 }];

describe('ratios to the floors', () => {
  it('compares proxies with the bare Node proxy, nginx and the ceiling, and token endpoints with the bare one', () => {
    const report = { scenarios };
    expect(ratiosFor(report, scenarios.find((s) => s.id === 'gatehouse-proxy') as ScenarioResult)).toEqual({ vsBareProxy: 0.96, vsNginx: 9600 / 19_000, vsCeiling: 0.48 });
    expect(ratiosFor(report, scenarios.find((s) => s.id === 'gatehouse-token-opaque') as ScenarioResult)).toEqual({ vsBareToken: 6500 / 8000 });
  });

  it('leaves out a ratio whose floor was not measured, and gives none for a scenario that was not', () => {
    const report = { scenarios: [ok('gatehouse-proxy', 'proxy', 5000), { ...ok('bare-proxy', 'proxy', 1), status: 'skipped' as const, summary: undefined }] };
    expect(ratiosFor(report, report.scenarios[0] as ScenarioResult)).toEqual({});
    expect(ratiosFor(report, report.scenarios[1] as ScenarioResult)).toEqual({});
  });
});

describe('paired ratios', () => {
  const run = (rps: number): LoadResult => ({ tool: 'wrk', requests: rps * 5, durationS: 5, rps, p50Ms: 1, p90Ms: 1, p99Ms: 2, maxMs: 3, failedResponses: 0, socketErrors: 0 });
  const withRuns = (id: string, rps: number[]) => ok(id, 'proxy', [...rps].sort((x, y) => x - y)[Math.floor(rps.length / 2)] as number, { runs: rps.map(run) });

  it('takes the median of the rounds’ ratios, so that a round where the machine was fast or slow counts as one round', () => {
    // The machine sped up round after round; in two rounds of three the gateway did 0.9× the floor.
    const report = { scenarios: [withRuns('bare-proxy', [10_000, 20_000, 30_000]), withRuns('gatehouse-proxy', [9000, 19_000, 27_000])] };
    expect(pairedRatio(report, 'gatehouse-proxy', 'bare-proxy')).toBeCloseTo(0.9);
    // (The ratio of the medians, 19,000 / 20,000, would say 0.95: the one round that went otherwise.)
  });

  it('falls back to the ratio of the medians when the two have a different number of runs', () => {
    const report = { scenarios: [withRuns('bare-proxy', [10_000, 20_000]), withRuns('gatehouse-proxy', [9000, 18_000, 9900])] };
    const [floor, gateway] = report.scenarios as [ScenarioResult, ScenarioResult];
    expect(pairedRatio(report, 'gatehouse-proxy', 'bare-proxy')).toBe((gateway.summary?.rps as number) / (floor.summary?.rps as number));
  });

  it('gives nothing when either side was not measured', () => {
    expect(pairedRatio({ scenarios: [withRuns('gatehouse-proxy', [1, 2, 3])] }, 'gatehouse-proxy', 'bare-proxy')).toBeUndefined();
  });
});

describe('the goals of issue 6', () => {
  const goals = computeGoals({ scenarios, latency });
  const byId = (id: string) => goals.find((g) => g.id === id);

  it('marks each goal met or not from the ratios', () => {
    expect(byId('proxy')).toMatchObject({ value: 0.96, met: true });
    expect(byId('policies')).toMatchObject({ value: 0.7, met: false });
    expect(byId('vs-express-gateway')?.met).toBe(true);
    expect(byId('issue-opaque')).toMatchObject({ value: 0.8125, met: true });
    expect(byId('issue-vs-oidc')).toMatchObject({ value: 3.25, met: true });
    expect(byId('jwt-default')).toMatchObject({ value: 5, met: true });
    expect(byId('jwt-same-alg')?.met).toBe(true);
  });

  it('takes the 1M-token goals from the seeded runs: ratios, the highest peak RSS, the time to ready', () => {
    expect(byId('1m-issue')?.value).toBeCloseTo(6000 / 6500);
    expect(byId('1m-issue')?.met).toBe(true);
    expect(byId('1m-verify')?.met).toBe(true);
    expect(byId('1m-rss')).toMatchObject({ value: 160, met: false });
    expect(byId('1m-ready')).toMatchObject({ value: 700, met: true });
  });

  it('checks added latency against its ceiling of 1 ms', () => {
    expect(byId('latency-policies')).toMatchObject({ value: 0.6, met: true });
  });

  it('says "not measured" (met undefined) when a side is missing, never met or not met', () => {
    const goal = byId('latency-proxy');
    expect(goal?.value).toBeUndefined();
    expect(goal?.met).toBeUndefined();
    const partial = computeGoals({ scenarios: scenarios.filter((s) => s.id !== 'bare-proxy'), latency: [] });
    expect(partial.find((g) => g.id === 'proxy')?.met).toBeUndefined();
  });

  it('does not count an invalid scenario (too many failed requests)', () => {
    const broken = scenarios.map((s) => (s.id === 'gatehouse-proxy' ? { ...s, status: 'invalid' as const } : s));
    expect(computeGoals({ scenarios: broken, latency }).find((g) => g.id === 'proxy')?.met).toBeUndefined();
  });
});

describe('added p99 from paired rounds', () => {
  it('is the median of the differences, gateway p99 minus bare p99, round by round', () => {
    // Round 2's bare run met a stall: its difference is an outlier, and the median sets it aside.
    expect(addedP99([1.5, 1.4, 9.8, 1.6, 1.5], [2.0, 1.9, 2.1, 2.3, 1.6])).toEqual({ addedP99Ms: expect.closeTo(0.5, 9), addedP99ByRoundMs: [expect.closeTo(0.5, 9), expect.closeTo(0.5, 9), expect.closeTo(-7.7, 9), expect.closeTo(0.7, 9), expect.closeTo(0.1, 9)] });
    // Not the difference of the medians (2.0 − 1.5), which pairs runs measured minutes apart.
    expect(addedP99([1.0, 3.0, 1.0], [1.2, 3.1, 2.5]).addedP99Ms).toBeCloseTo(0.2, 9);
  });

  it('refuses rounds that do not pair up', () => {
    expect(() => addedP99([], [])).toThrow(/one bare and one gateway p99 per round/);
    expect(() => addedP99([1, 2], [1])).toThrow(/one bare and one gateway p99 per round/);
  });
});
