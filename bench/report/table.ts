// The console report of a run: the scenarios, the added latency at half load, and the goals.
import { computeGoals, type Goal } from '../goals.ts';
import type { BenchReport } from '../results.ts';
import { fmtMs, fmtRps, roundsText, rows, textTable } from './format.ts';

export function goalValue(g: Goal): string {
  if (g.value === undefined) return 'not measured';
  return g.unit === '×' ? `${g.value >= 10 ? g.value.toFixed(1) : g.value.toFixed(2)}×` : g.unit === 'ms' ? fmtMs(g.value) : `${g.value.toFixed(0)} MB`;
}

export const goalMark = (g: Goal) => (g.met === undefined ? '–' : g.met ? 'met' : 'NOT met');

export function consoleReport(report: BenchReport): string {
  const out: string[] = [];
  out.push(
    textTable(
      ['scenario', 'RPS', 'p50', 'p99', 'peak RSS', '× bare proxy', '× bare token', '× nginx', 'note'],
      rows(report).map((r) => [r.id, r.rps, r.p50, r.p99, r.rss, r.vsBareProxy, r.vsBareToken, r.vsNginx, r.note]),
    ),
  );
  if (report.latency.length) {
    out.push('', 'Latency at a fixed rate (half of the gateway’s maximum), fixed-rate generator, from when each request was due:');
    out.push(
      textTable(
        ['measure', 'rate', 'bare p50', 'bare p99', 'gateway p50', 'gateway p99', 'added p99', 'by round', 'note'],
        report.latency.map((l) =>
          l.status !== 'ok' || !l.bare || !l.gateway || l.rate === undefined
            ? [l.id, '', '', '', '', '', '', '', `${l.status}: ${l.reason ?? ''}`]
            : [l.id, `${fmtRps(l.rate)}/s`, fmtMs(l.bare.p50Ms), fmtMs(l.bare.p99Ms), fmtMs(l.gateway.p50Ms), fmtMs(l.gateway.p99Ms), fmtMs(l.addedP99Ms ?? Number.NaN), roundsText(l), `generator lag p99 ${fmtMs(Math.max(l.bare.sendLagP99Ms, l.gateway.sendLagP99Ms))}`],
        ),
      ),
    );
  }
  out.push('', 'Goals (issue 6):');
  out.push(textTable(['goal', 'measured', 'target', 'result'], computeGoals(report).map((g) => [g.text, goalValue(g), `${g.direction === 'min' ? '≥' : '≤'} ${g.target}${g.unit === '×' ? '×' : ` ${g.unit}`}`, goalMark(g)])));
  return out.join('\n');
}
