import { describe, expect, it } from 'vitest';
import { parseOptions, publishes, selected } from './options.ts';
import { parseCpuList } from './processes.ts';

describe('bench options', () => {
  it('runs everything, five runs of ten seconds, by default', () => {
    expect(parseOptions([])).toMatchObject({ quick: false, runs: 5, durationS: 10, warmupS: 5, cpuProf: false, build: true });
  });

  it('makes --quick short', () => {
    expect(parseOptions(['--quick'])).toMatchObject({ quick: true, runs: 2, durationS: 2, warmupS: 1 });
  });

  it('takes --only as a list of known scenarios, and refuses unknown ones', () => {
    expect(parseOptions(['--only', 'bare-proxy, gatehouse-proxy']).only).toEqual(['bare-proxy', 'gatehouse-proxy']);
    expect(() => parseOptions(['--only', 'bare-proxy,kong'])).toThrow(/Unknown scenario\(s\) in --only: kong/);
    expect(() => parseOptions(['--runs', '0'])).toThrow(/--runs must be a number from 1 to 20/);
    expect(() => parseOptions(['--fast'])).toThrow();
  });

  it('takes node flags for Gatehouse, and refuses what is not a flag', () => {
    expect(parseOptions([]).gatehouseNodeFlags).toEqual([]);
    expect(parseOptions(['--gatehouse-node-flags=--single-threaded-gc  --max-semi-space-size=32 ']).gatehouseNodeFlags).toEqual(['--single-threaded-gc', '--max-semi-space-size=32']);
    expect(() => parseOptions(['--gatehouse-node-flags=--single-threaded-gc ; rm -rf /'])).toThrow(/takes node flags such as --single-threaded-gc, not ';'/);
    expect(() => parseOptions(['--gatehouse-node-flags', 'dist/other.js'])).toThrow(/not 'dist\/other.js'/);
  });

  it('selects the quick set, everything, or the --only list', () => {
    const all = [{ id: 'a', quick: true }, { id: 'b', quick: false }];
    expect([...selected({ quick: true }, all)]).toEqual(['a']);
    expect([...selected({ quick: false }, all)]).toEqual(['a', 'b']);
    expect([...selected({ quick: true, only: ['b'] }, all)]).toEqual(['b']);
  });

  it('publishes only full, unprofiled runs unless asked', () => {
    const plain = { gatehouseNodeFlags: [] };
    expect(publishes({ ...plain, quick: false, cpuProf: false, publish: false })).toBe(true);
    expect(publishes({ ...plain, quick: true, cpuProf: false, publish: false })).toBe(false);
    expect(publishes({ ...plain, quick: false, only: ['a'], cpuProf: false, publish: false })).toBe(false);
    expect(publishes({ ...plain, quick: true, cpuProf: false, publish: true })).toBe(true);
    expect(publishes({ ...plain, quick: false, cpuProf: true, publish: true })).toBe(false);
    // Node flags measure a knob, not Gatehouse as it ships: never the published figures.
    expect(publishes({ gatehouseNodeFlags: ['--single-threaded-gc'], quick: false, cpuProf: false, publish: true })).toBe(false);
  });

  it('reads the cores taskset allows', () => {
    expect(parseCpuList('0-1')).toEqual([0, 1]);
    expect(parseCpuList('0,2-3')).toEqual([0, 2, 3]);
    expect(parseCpuList('')).toEqual([]);
  });
});
