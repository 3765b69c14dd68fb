import { describe, expect, it } from 'vitest';
import type { FixedRateResult } from './fixed-rate.ts';
import { generatorLagged, MAX_SEND_LAG_P99_MS } from './fixed-rate-validity.ts';

const run = (p50Ms: number, p99Ms: number, sendLagP99Ms: number): FixedRateResult => ({ rate: 6388, achievedRps: 6371, completed: 19164, failed: 0, p50Ms, p99Ms, p999Ms: p99Ms, maxMs: p99Ms, serviceP99Ms: p99Ms, sendLagP99Ms });

describe('the check that the fixed-rate generator kept to its schedule', () => {
  it('rejects the quick run at 6,388/s where the undici generator lagged 10–13 ms', () => {
    const reason = generatorLagged([run(21.6, 289.7, 10.297), run(1324.7, 1528.0, 13.176)]);
    expect(reason).toMatch(/^NOT VALID: the load generator could not keep to its schedule/);
    expect(reason).toContain('10.30, 13.18 ms in 2 of 2 runs');
  });

  it('rejects a run set when any one of its runs lagged, or reported no lag at all', () => {
    expect(generatorLagged([run(0.4, 3, 0.2), run(0.5, 60, MAX_SEND_LAG_P99_MS + 0.01)])).toContain('in 1 of 2 runs');
    expect(generatorLagged([run(0.4, 3, Number.NaN)])).toBeDefined();
  });

  it('accepts runs whose send lag stayed within the limit', () => {
    expect(generatorLagged([run(0.43, 3.1, 0.19), run(1.3, 51.7, MAX_SEND_LAG_P99_MS)])).toBeUndefined();
  });
});
