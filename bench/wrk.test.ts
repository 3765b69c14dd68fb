import { describe, expect, it } from 'vitest';
import { luaString, parseWrkDuration, parseWrkOutput, RESULT_MARKER, wrkScript } from './wrk.ts';

const TEXT = `Running 1s test @ http://127.0.0.1:19300/
  1 threads and 8 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     0.97ms    1.26ms  11.75ms   88.35%
    Req/Sec    12.70k     7.56k   23.60k    54.55%
  Latency Distribution
     50%  472.00us
     75%    0.87ms
     90%    2.51ms
     99%    6.44ms
  13898 requests in 1.10s, 14.71MB read
  Socket errors: connect 0, read 2, write 0, timeout 1
  Non-2xx or 3xx responses: 5
Requests/sec:  12632.93
Transfer/sec:     13.37MB
`;

describe('reading wrk output', () => {
  it('takes the exact figures from the line the bench script prints in done()', () => {
    const line = `${RESULT_MARKER}{"requests":50000,"duration_us":10000000,"status_errors":3,"connect":0,"read":1,"write":0,"timeout":2,"p50_us":1500,"p90_us":2500,"p99_us":4200,"max_us":35000}`;
    const result = parseWrkOutput(`${TEXT}${line}\n`);
    expect(result).toEqual({ tool: 'wrk', requests: 50000, durationS: 10, rps: 5000, p50Ms: 1.5, p90Ms: 2.5, p99Ms: 4.2, maxMs: 35, failedResponses: 3, socketErrors: 3 });
  });

  it("falls back to wrk's own --latency text, with its units", () => {
    const result = parseWrkOutput(TEXT);
    expect(result.requests).toBe(13898);
    expect(result.durationS).toBeCloseTo(1.1);
    expect(result.rps).toBe(12632.93);
    expect(result.p50Ms).toBeCloseTo(0.472);
    expect(result.p90Ms).toBeCloseTo(2.51);
    expect(result.p99Ms).toBeCloseTo(6.44);
    expect(result.maxMs).toBeCloseTo(11.75);
    expect(result.failedResponses).toBe(5);
    expect(result.socketErrors).toBe(3);
  });

  it('refuses output with no figures rather than inventing them', () => {
    expect(() => parseWrkOutput('unable to connect to 127.0.0.1:1 Connection refused')).toThrow(/Could not read wrk/);
  });

  it('reads durations in every unit wrk prints', () => {
    expect(parseWrkDuration('830.00us')).toBeCloseTo(0.83);
    expect(parseWrkDuration('1.23ms')).toBe(1.23);
    expect(parseWrkDuration('2.01s')).toBeCloseTo(2010);
    expect(parseWrkDuration('1.00m')).toBe(60_000);
    expect(parseWrkDuration('fast')).toBeUndefined();
  });
});

describe('the wrk script', () => {
  it('quotes any text as a Lua string', () => {
    expect(luaString('plain')).toBe('"plain"');
    expect(luaString('say "hi"\\')).toBe('"say \\"hi\\"\\\\"');
    expect(luaString('a\nb\r')).toBe('"a\\010b\\013"');
  });

  it('formats the listed requests once and hands them out in turn', () => {
    const script = wrkScript({
      kind: 'list',
      requests: [
        { method: 'GET', path: '/guarded/weather', headers: { authorization: 'Bearer a' } },
        { method: 'POST', path: '/oauth/token', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'grant_type=client_credentials' },
      ],
    });
    expect(script).toContain('{ "GET", "/guarded/weather", { ["authorization"] = "Bearer a" }, nil },');
    expect(script).toContain('{ "POST", "/oauth/token", { ["content-type"] = "application/x-www-form-urlencoded" }, "grant_type=client_credentials" },');
    expect(script).toMatch(/init = function[\s\S]*wrk\.format\(d\[1\], d\[2\], d\[3\], d\[4\]\)/);
    expect(script).toContain(RESULT_MARKER);
  });

  it('makes a fresh seeded token per request, wrapping at the count', () => {
    const script = wrkScript({ kind: 'seeded', path: '/guarded/weather', tokenPrefix: 'seed-', count: 1000 });
    expect(script).toContain('if i >= 1000 then i = 0 end');
    expect(script).toContain('"Bearer " .. "seed-" .. string.format("%07d", i)');
  });
});
