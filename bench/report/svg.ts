// A hand-written SVG bar chart of a run: RPS per scenario, proxies and token endpoints each on their own scale.
import type { BenchReport, ScenarioResult } from '../results.ts';
import { fmtRps } from './format.ts';

export function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c] as string);
}

/** Gatehouse in one colour, floors (ceiling, nginx, bare Node) in grey, peers in another. */
export function barColour(id: string): string {
  if (id.startsWith('gatehouse')) return '#2b6cb0';
  if (id.startsWith('eg-') || id.startsWith('oidc-')) return '#c05621';
  return '#718096';
}

const WIDTH = 760;
const LABEL = 230;
const VALUE = 90;
const ROW = 24;
const BAR = 16;

interface Section {
  title: string;
  scenarios: ScenarioResult[];
}

export function renderSvg(report: Pick<BenchReport, 'scenarios' | 'date'>): string {
  const measured = report.scenarios.filter((s) => s.status === 'ok' && s.summary);
  const sections: Section[] = [
    { title: 'Proxying (requests per second; higher is better)', scenarios: measured.filter((s) => s.kind !== 'token') },
    { title: 'Token endpoints (tokens issued per second; higher is better)', scenarios: measured.filter((s) => s.kind === 'token') },
  ].filter((s) => s.scenarios.length > 0);
  const parts: string[] = [];
  let y = 28;
  parts.push(`<text x="10" y="18" font-size="13" font-weight="bold">Gatehouse bench, ${escapeXml(report.date.slice(0, 10))}: one core for the server under test</text>`);
  for (const section of sections) {
    y += 10;
    parts.push(`<text x="10" y="${y + 12}" font-size="12" font-weight="bold">${escapeXml(section.title)}</text>`);
    y += 22;
    const max = Math.max(...section.scenarios.map((s) => s.summary?.rps ?? 0));
    for (const s of section.scenarios) {
      const rps = s.summary?.rps ?? 0;
      const w = max > 0 ? Math.max(1, Math.round(((WIDTH - LABEL - VALUE - 20) * rps) / max)) : 1;
      parts.push(
        `<g><title>${escapeXml(s.title)}</title><text x="${LABEL - 8}" y="${y + 12}" font-size="11" text-anchor="end">${escapeXml(s.id)}</text>` +
          `<rect x="${LABEL}" y="${y}" width="${w}" height="${BAR}" fill="${barColour(s.id)}"/>` +
          `<text x="${LABEL + w + 6}" y="${y + 12}" font-size="11">${escapeXml(fmtRps(rps))}</text></g>`,
      );
      y += ROW;
    }
  }
  y += 8;
  parts.push(
    `<g font-size="11"><rect x="10" y="${y}" width="10" height="10" fill="#2b6cb0"/><text x="24" y="${y + 9}">Gatehouse</text>` +
      `<rect x="110" y="${y}" width="10" height="10" fill="#718096"/><text x="124" y="${y + 9}">floors (ceiling, nginx, bare Node)</text>` +
      `<rect x="330" y="${y}" width="10" height="10" fill="#c05621"/><text x="344" y="${y + 9}">peers</text></g>`,
  );
  const height = y + 20;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="system-ui, -apple-system, Segoe UI, sans-serif">
<rect width="${WIDTH}" height="${height}" fill="#ffffff"/>
${parts.join('\n')}
</svg>
`;
}
