// Reads `node --cpu-prof` profiles: self time per function, mapped back to src/*.ts through dist/'s source maps.
import { existsSync, readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The parts of a .cpuprofile (Chrome DevTools format) that self time needs. */
export interface CpuProfile {
  nodes: Array<{ id: number; callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number }; children?: number[] }>;
  samples: number[];
  timeDeltas: number[];
}

export interface HotSpot {
  functionName: string;
  /** `file:line` (1-based), in src/ when a source map says so. */
  location: string;
  selfMs: number;
  /** Share of the profile's busy time (idle excluded). */
  selfShare: number;
  /** The callers that most of that self time came through, nearest first (`function (file:line)`), up to 3 levels. */
  calledFrom?: string[];
}

export interface ProfileSummary {
  totalMs: number;
  idleMs: number;
  gcMs: number;
  busyMs: number;
  top: HotSpot[];
  /** Busy time by where the code lives: Gatehouse, its dependencies, Node itself. */
  byArea: Record<string, number>;
}

type Mapper = (url: string, line: number, column: number) => string;

/** Where code lives, for the by-area split. */
export function areaOf(location: string): string {
  if (location.startsWith('src/')) return 'gatehouse (src/)';
  if (location.includes('node_modules/')) return `dependency: ${/node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(location)?.[1] ?? '?'}`;
  if (location.startsWith('node:')) return 'node internals';
  return 'other';
}

/** Self time per function (samples × their time deltas), largest first. */
export function summariseProfile(profile: CpuProfile, map: Mapper = (url, line) => (url ? `${url}:${line + 1}` : ''), topN = 25): ProfileSummary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i] as number;
    // timeDeltas[i] is the time since the previous sample; it belongs to the sample it precedes.
    selfUs.set(id, (selfUs.get(id) ?? 0) + Math.max(0, profile.timeDeltas[i] ?? 0));
  }
  let totalUs = 0;
  let idleUs = 0;
  let gcUs = 0;
  const parentOf = new Map<number, number>();
  for (const n of profile.nodes) for (const child of n.children ?? []) parentOf.set(child, n.id);
  const label = (id: number | undefined) => {
    const f = id === undefined ? undefined : byId.get(id)?.callFrame;
    if (!f || f.functionName === '(root)') return undefined;
    return `${f.functionName || '(anonymous)'}${f.url ? ` (${map(f.url, f.lineNumber, f.columnNumber)})` : ''}`;
  };
  const byKey = new Map<string, { functionName: string; location: string; area: string; us: number; callers: Map<string, number> }>();
  for (const [id, us] of selfUs) {
    const frame = byId.get(id)?.callFrame;
    if (!frame) continue;
    totalUs += us;
    if (frame.functionName === '(idle)') {
      idleUs += us;
      continue;
    }
    if (frame.functionName === '(garbage collector)') gcUs += us;
    const location = frame.url ? map(frame.url, frame.lineNumber, frame.columnNumber) : frame.functionName;
    const functionName = frame.functionName || '(anonymous)';
    const key = `${functionName}@${location}`;
    // Frames without a script are V8's: builtins, native bindings, the GC, "(program)".
    const entry = byKey.get(key) ?? { functionName, location, area: frame.url ? areaOf(location) : 'native / V8', us: 0, callers: new Map<string, number>() };
    entry.us += us;
    const chain: string[] = [];
    for (let parent = parentOf.get(id); parent !== undefined && chain.length < 3; parent = parentOf.get(parent)) {
      const name = label(parent);
      if (!name) break;
      chain.push(name);
    }
    const chainKey = chain.join(' ← ');
    entry.callers.set(chainKey, (entry.callers.get(chainKey) ?? 0) + us);
    byKey.set(key, entry);
  }
  const busyUs = totalUs - idleUs;
  const byArea: Record<string, number> = {};
  for (const e of byKey.values()) {
    byArea[e.area] = (byArea[e.area] ?? 0) + e.us / 1000;
  }
  const top = [...byKey.values()]
    .sort((a, b) => b.us - a.us)
    .slice(0, topN)
    .map((e) => {
      const heaviest = [...e.callers].sort((a, b) => b[1] - a[1])[0]?.[0];
      return { functionName: e.functionName, location: e.location, selfMs: e.us / 1000, selfShare: busyUs > 0 ? e.us / busyUs : 0, ...(heaviest ? { calledFrom: heaviest.split(' ← ') } : {}) };
    });
  return { totalMs: totalUs / 1000, idleMs: idleUs / 1000, gcMs: gcUs / 1000, busyMs: busyUs / 1000, top, byArea };
}

/** Maps positions in dist/*.js to src/*.ts with the build's source maps; other code is shown relative to `root`. */
export function sourceMapper(root: string): Mapper {
  const maps = new Map<string, SourceMap | null>();
  const load = (file: string): SourceMap | null => {
    if (!maps.has(file)) {
      const mapFile = `${file}.map`;
      maps.set(file, existsSync(mapFile) ? new SourceMap(JSON.parse(readFileSync(mapFile, 'utf8')) as ConstructorParameters<typeof SourceMap>[0]) : null);
    }
    return maps.get(file) ?? null;
  };
  return (url, line, column) => {
    if (!url.startsWith('file://')) return `${url}:${line + 1}`;
    const file = fileURLToPath(url);
    const map = file.startsWith(resolve(root, 'dist')) ? load(file) : null;
    const entry = map?.findEntry(line, column) as { originalSource?: string; originalLine?: number } | undefined;
    if (entry?.originalSource && entry.originalLine !== undefined) {
      const source = entry.originalSource.startsWith('file://') ? fileURLToPath(entry.originalSource) : resolve(dirname(file), entry.originalSource);
      return `${relative(root, source)}:${entry.originalLine + 1}`;
    }
    return `${relative(root, file)}:${line + 1}`;
  };
}

export function formatProfileSummary(name: string, s: ProfileSummary, topN = 15): string {
  const pct = (ms: number) => `${((100 * ms) / Math.max(s.busyMs, 1e-9)).toFixed(1)}%`;
  const lines = [`${name}: ${(s.busyMs / 1000).toFixed(1)} s busy of ${(s.totalMs / 1000).toFixed(1)} s; GC ${pct(s.gcMs)} of busy`];
  lines.push(`  by area: ${Object.entries(s.byArea).sort((a, b) => b[1] - a[1]).slice(0, 8).map(([area, ms]) => `${area} ${pct(ms)}`).join(', ')}`);
  for (const h of s.top.slice(0, topN)) {
    lines.push(`  ${(h.selfShare * 100).toFixed(1).padStart(5)}%  ${h.functionName.slice(0, 48).padEnd(48)}  ${h.location}`);
    if (h.calledFrom) lines.push(`          ← ${h.calledFrom.join(' ← ')}`);
  }
  return lines.join('\n');
}
