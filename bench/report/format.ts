// Number formats and the rows shared by the console table and the docs page.
import { ratiosFor, RIG_BOUND } from '../goals.ts';
import type { BenchReport, LatencyResult, ScenarioResult } from '../results.ts';
import { MAX_ERROR_RATE } from '../stats.ts';

export const fmtRps = (rps: number) => (rps >= 100 ? Math.round(rps).toLocaleString('en-US') : rps.toFixed(1));
export const fmtMs = (ms: number) => (ms >= 100 ? `${ms.toFixed(0)} ms` : ms >= 10 ? `${ms.toFixed(1)} ms` : `${ms.toFixed(2)} ms`);
export const fmtMb = (bytes: number) => `${(bytes / (1024 * 1024)).toFixed(0)} MB`;
/** A latency measure's added p99 round by round ("0.41, −0.12, 1.30"), or empty for results without rounds. */
export const roundsText = (l: Pick<LatencyResult, 'addedP99ByRoundMs'>) => (l.addedP99ByRoundMs ?? []).map((ms) => ms.toFixed(2).replace('-', '−')).join(', ');
export const fmtRatio = (r: number | undefined) => (r === undefined ? '' : `${r >= 10 ? r.toFixed(1) : r.toFixed(2)}×`);

/** Runs spread wider than this share of the median are flagged: the machine was busy, or the server is unsteady. */
export const UNSTEADY = 0.2;

export interface Row {
  id: string;
  title: string;
  rps: string;
  p50: string;
  p99: string;
  rss: string;
  vsBareProxy: string;
  vsBareToken: string;
  vsNginx: string;
  note: string;
}

/** One row per scenario: figures when measured, else the reason it was not. */
export function rows(report: BenchReport): Row[] {
  return report.scenarios.map((s: ScenarioResult) => {
    const r = ratiosFor(report, s);
    const blank = { rps: '', p50: '', p99: '', rss: '', vsBareProxy: '', vsBareToken: '', vsNginx: '' };
    if (!s.summary || (s.status !== 'ok' && s.status !== 'invalid')) return { id: s.id, title: s.title, ...blank, note: `${s.status}: ${s.reason ?? ''}`.trim() };
    const notes: string[] = [];
    if (s.status === 'invalid') notes.push(`not trusted: ${(s.summary.errorRate * 100).toFixed(2)}% of requests failed (limit ${MAX_ERROR_RATE * 100}%)`);
    else if (s.summary.errorRate > 0) {
      const share = s.summary.errorRate * 100 < 0.001 ? '<0.001' : (s.summary.errorRate * 100).toFixed(3);
      notes.push(`${s.summary.failedResponses + s.summary.socketErrors} of ${s.summary.requests.toLocaleString('en-US')} requests failed (${share}%)`);
    }
    if (s.summary.runs > 1 && (s.summary.rpsMax - s.summary.rpsMin) / s.summary.rps > UNSTEADY) notes.push(`unsteady: runs from ${fmtRps(s.summary.rpsMin)} to ${fmtRps(s.summary.rpsMax)}`);
    if (r.vsCeiling !== undefined && r.vsCeiling >= RIG_BOUND) notes.push(`${Math.round(r.vsCeiling * 100)}% of the ceiling: a lower bound`);
    if (s.readyMs !== undefined) notes.push(`ready in ${Math.round(s.readyMs)} ms`);
    notes.push(...(s.notes ?? []));
    return {
      id: s.id,
      title: s.title,
      rps: fmtRps(s.summary.rps),
      p50: fmtMs(s.summary.p50Ms),
      p99: fmtMs(s.summary.p99Ms),
      rss: s.peakRssBytes === undefined ? '' : fmtMb(s.peakRssBytes),
      vsBareProxy: fmtRatio(r.vsBareProxy),
      vsBareToken: fmtRatio(r.vsBareToken),
      vsNginx: fmtRatio(r.vsNginx),
      note: notes.join('; '),
    };
  });
}

/** A fixed-width text table. */
export function textTable(header: readonly string[], body: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => (row[i] ?? '').length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] as number) : c.padStart(widths[i] as number))).join('  ').trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}
