import { describe, expect, it } from 'vitest';
import type { BenchReport, ScenarioResult } from '../results.ts';
import { BEGIN, END, renderDoc } from './markdown.ts';
import { barColour, escapeXml, renderSvg } from './svg.ts';
import { consoleReport } from './table.ts';

const scenario = (id: string, kind: ScenarioResult['kind'], rps: number): ScenarioResult => ({
  id,
  title: `${id} <&>`,
  kind,
  status: 'ok',
  summary: { rps, p50Ms: 1.5, p99Ms: 7.25, rpsMin: rps, rpsMax: rps, runs: 3, requests: rps * 30, failedResponses: 0, socketErrors: 0, errorRate: 0 },
  peakRssBytes: 80 * 1024 * 1024,
});

const report: BenchReport = {
  schema: 1,
  date: '2026-11-24T01:00:00.000Z',
  quick: false,
  machine: { cpuModel: 'AMD EPYC', cores: 2, memoryGiB: 24, kernel: '6.1', loadAverageBefore: [1, 1, 1], loadAverageAfter: [2, 2, 2] },
  versions: { node: 'v20.20.2', nginx: '1.22.1' },
  settings: { connections: 64, warmupS: 5, runs: 5, durationS: 10, loadGenerator: 'wrk 4.1.0', pinning: 'pinned', gatehouse: 'dist', fixedRate: 'open loop' },
  scenarios: [
    scenario('bare-proxy', 'proxy', 10_000),
    scenario('gatehouse-proxy', 'proxy', 5000),
    scenario('bare-token', 'token', 8000),
    { id: 'nginx', title: 'nginx', kind: 'proxy', status: 'skipped', reason: 'nginx is not installed' },
  ],
  latency: [],
  notes: ['a note'],
};

describe('the SVG chart', () => {
  const svg = renderSvg(report);

  it('draws one bar per measured scenario, scaled to the largest of its section', () => {
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    const bars = [...svg.matchAll(/<rect x="230" y="\d+" width="(\d+)" height="16" fill="([^"]+)"\/>/g)];
    expect(bars.map((b) => b[2])).toEqual([barColour('bare-proxy'), barColour('gatehouse-proxy'), barColour('bare-token')]);
    const [bare, gatehouse, token] = bars.map((b) => Number(b[1]));
    expect(gatehouse).toBe(Math.round((bare as number) / 2));
    expect(token).toBe(bare);
    expect(svg).toContain('10,000');
    expect(svg).not.toContain('>nginx<');
  });

  it('escapes text, so a title cannot break the markup', () => {
    expect(escapeXml(`a<b>&"c'`)).toBe('a&lt;b&gt;&amp;&quot;c&apos;');
    expect(svg).toContain('bare-proxy &lt;&amp;&gt;');
    expect(svg).not.toMatch(/<&>/);
  });
});

describe('the docs page', () => {
  it('starts the page with the introduction and the generated section between markers', () => {
    const doc = renderDoc(undefined, report, '../bench/results/latest.svg');
    expect(doc.startsWith('# Performance')).toBe(true);
    expect(doc).toContain(BEGIN);
    expect(doc).toContain('| `gatehouse-proxy` | 5,000 | 1.50 ms | 7.25 ms | 80 MB | 0.50× |');
    expect(doc).toContain('| `nginx` |  |  |  |  |  |  |  | skipped: nginx is not installed |');
    expect(doc).toContain('![RPS per scenario](../bench/results/latest.svg)');
    expect(doc).toContain('| Plain proxy ≥ 0.95× the bare Node proxy | 0.50× | ≥ 0.95× | **not met** |');
  });

  it('replaces only the generated section and keeps what was written by hand around it', () => {
    const existing = `# Performance\n\nHand-written notes.\n\n${BEGIN}\nold figures\n${END}\n\n## After\n\nMore notes.\n`;
    const doc = renderDoc(existing, report, 'chart.svg');
    expect(doc).toContain('Hand-written notes.');
    expect(doc).toContain('## After\n\nMore notes.');
    expect(doc).not.toContain('old figures');
    expect(doc.split(BEGIN)).toHaveLength(2);
  });
});

describe('the latency measures', () => {
  const fixed = (p99Ms: number) => ({ rate: 4000, achievedRps: 4000, completed: 40_000, failed: 0, p50Ms: 0.4, p99Ms, p999Ms: 5, maxMs: 9, serviceP99Ms: p99Ms, sendLagP99Ms: 0.1 });
  const withLatency: BenchReport = {
    ...report,
    latency: [{ id: 'added-latency-proxy', title: 'plain', gatewayScenario: 'gatehouse-proxy', status: 'ok', rate: 4000, bare: fixed(1.5), gateway: fixed(2.1), addedP99Ms: 0.6, addedP99ByRoundMs: [0.6, -0.25, 1.3] }],
  };

  it('show the median added p99 and the difference of every round, on the page and in the console', () => {
    expect(renderDoc(undefined, withLatency, 'chart.svg')).toContain('| `added-latency-proxy` | 4,000/s | 0.40 ms / 1.50 ms | 0.40 ms / 2.10 ms | 0.60 ms | 0.60, −0.25, 1.30 |');
    expect(consoleReport(withLatency)).toMatch(/added-latency-proxy\s+4,000\/s\s+0\.40 ms\s+1\.50 ms\s+0\.40 ms\s+2\.10 ms\s+0\.60 ms\s+0\.60, −0\.25, 1\.30/);
  });
});

describe('the console report', () => {
  it('lists each scenario with its ratios, and the reason for one that was skipped', () => {
    const text = consoleReport(report);
    expect(text).toMatch(/gatehouse-proxy\s+5,000\s+1\.50 ms\s+7\.25 ms\s+80 MB\s+0\.50×/);
    expect(text).toMatch(/nginx\s+.*skipped: nginx is not installed/);
    expect(text).toMatch(/Plain proxy ≥ 0\.95× the bare Node proxy\s+0\.50×\s+≥ 0\.95×\s+NOT met/);
  });
});
