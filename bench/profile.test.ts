import { describe, expect, it } from 'vitest';
import { areaOf, formatProfileSummary, summariseProfile, type CpuProfile } from './profile.ts';

const frame = (functionName: string, url = '', lineNumber = 0) => ({ functionName, url, lineNumber, columnNumber: 0 });

const profile: CpuProfile = {
  nodes: [
    { id: 1, callFrame: frame('(root)'), children: [2, 3, 4, 6] },
    { id: 2, callFrame: frame('(idle)') },
    { id: 3, callFrame: frame('runFlow', 'file:///app/dist/gateway/flow.js', 9), children: [5] },
    { id: 4, callFrame: frame('(garbage collector)') },
    { id: 5, callFrame: frame('parse', 'file:///app/node_modules/undici/lib/parser.js', 99) },
    { id: 6, callFrame: frame('runFlow', 'file:///app/dist/gateway/flow.js', 9) },
  ],
  // Two nodes of the same function at the same place count as one hot spot.
  samples: [2, 3, 3, 4, 5, 6, 2],
  timeDeltas: [5000, 1000, 1000, 500, 1500, 1000, 5000],
};

describe('profile summaries', () => {
  // Stands in for the source maps: dist/*.js -> src/*.ts, anything else as it is.
  const map = (url: string, line: number) => `${url.startsWith('file:///app/dist/') ? url.replace('file:///app/dist/', 'src/').replace(/\.js$/, '.ts') : url.replace('file:///app/', '')}:${line + 1}`;
  const summary = summariseProfile(profile, map);

  it('adds up self time per function and place, leaving idle time out of the shares', () => {
    expect(summary.totalMs).toBe(15);
    expect(summary.idleMs).toBe(10);
    expect(summary.busyMs).toBe(5);
    expect(summary.gcMs).toBe(0.5);
    expect(summary.top[0]).toMatchObject({ functionName: 'runFlow', location: 'src/gateway/flow.ts:10', selfMs: 3, selfShare: 0.6 });
    expect(summary.top[1]).toMatchObject({ functionName: 'parse', location: 'node_modules/undici/lib/parser.js:100' });
    expect(summary.top[1]?.selfShare).toBeCloseTo(0.3);
    expect(summary.top[1]?.calledFrom).toEqual(['runFlow (src/gateway/flow.ts:10)']);
    expect(summary.top[0]?.calledFrom).toBeUndefined();
  });

  it('splits busy time by where the code lives', () => {
    expect(summary.byArea).toEqual({ 'gatehouse (src/)': 3, 'dependency: undici': 1.5, 'native / V8': 0.5 });
    expect(areaOf('node:internal/streams/readable:10')).toBe('node internals');
    expect(areaOf('node_modules/@fastify/static/index.js:3')).toBe('dependency: @fastify/static');
  });

  it('prints the top functions with their share', () => {
    const text = formatProfileSummary('gatehouse-proxy', summary, 2);
    expect(text).toContain('gatehouse-proxy: 0.0 s busy of 0.0 s; GC 10.0% of busy');
    expect(text).toMatch(/ 60\.0% {2}runFlow\s+src\/gateway\/flow\.ts:10/);
  });
});
