import { describe, expect, it } from 'vitest';
import { SCENARIOS, SCHEDULE } from './catalogue.ts';

describe('the measurement schedule', () => {
  it('names every scenario exactly once', () => {
    expect([...SCHEDULE].sort()).toEqual(SCENARIOS.map((s) => s.id).sort());
  });

  it('puts each floor next to a scenario compared with it', () => {
    const next = (a: string, b: string) => Math.abs(SCHEDULE.indexOf(a) - SCHEDULE.indexOf(b)) === 1;
    expect(next('bare-proxy', 'gatehouse-proxy')).toBe(true);
    expect(next('bare-proxy', 'gatehouse-verify-opaque')).toBe(true);
    expect(next('bare-token', 'gatehouse-token-opaque')).toBe(true);
    expect(next('oidc-token-opaque', 'gatehouse-token-opaque')).toBe(true);
    expect(next('oidc-token-jwt-rs256', 'gatehouse-token-jwt')).toBe(true);
    expect(next('oidc-token-jwt-es256', 'gatehouse-token-jwt')).toBe(true);
    expect(next('eg-oauth2-rate-limit', 'gatehouse-verify-opaque')).toBe(true);
  });
});
