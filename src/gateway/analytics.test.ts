// Analytics records go to the sink off the hot path: after the call's own turn, and never as an uncaught exception.
import { setImmediate as nextTurn } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { MemoryAnalytics, offHotPath, type AnalyticsRecord } from './analytics.ts';

const record: AnalyticsRecord = {
  at: 0,
  requestId: 'req-1',
  api: 'weather',
  revision: 1,
  product: 'weather',
  app: 'weather-app',
  developer: 'dana@example.com',
  clientId: 'client-1',
  method: 'GET',
  path: '/weather/x',
  status: 200,
  totalLatencyMs: 3,
  targetLatencyMs: 2,
  faultCode: null,
};

describe('offHotPath', () => {
  it('hands the record to the sink on a later turn of the event loop, not during the call', async () => {
    const memory = new MemoryAnalytics();
    offHotPath(memory).write(record);
    expect(memory.records).toEqual([]);
    await nextTurn();
    expect(memory.records).toEqual([record]);
  });

  it('reports a sink that throws to onError instead of letting it escape', async () => {
    const errors: unknown[] = [];
    const failure = new Error('disk full');
    offHotPath({ write: () => { throw failure; } }, (error) => errors.push(error)).write(record);
    await nextTurn();
    expect(errors).toEqual([failure]);
  });

  it('writes the records of one turn together, in order, and a throwing one does not stop the others', async () => {
    const written: string[] = [];
    const errors: unknown[] = [];
    const sink = offHotPath(
      {
        write: (r) => {
          if (r.requestId === 'bad') throw new Error('bad record');
          written.push(r.requestId);
        },
      },
      (error) => errors.push(error),
    );
    for (const requestId of ['a', 'bad', 'b']) sink.write({ ...record, requestId });
    expect(written).toEqual([]);
    await nextTurn();
    expect(written).toEqual(['a', 'b']);
    expect(errors).toHaveLength(1);
    sink.write({ ...record, requestId: 'c' });
    await nextTurn();
    expect(written).toEqual(['a', 'b', 'c']);
  });
});

describe('MemoryAnalytics', () => {
  it('keeps only the newest records up to its limit', () => {
    const memory = new MemoryAnalytics(2);
    for (const requestId of ['a', 'b', 'c']) memory.write({ ...record, requestId });
    expect(memory.records.map((r) => r.requestId)).toEqual(['b', 'c']);
  });

  it('gives back every field as written, nulls included', () => {
    const memory = new MemoryAnalytics(4);
    const unattributed: AnalyticsRecord = { ...record, api: null, revision: null, product: null, app: null, developer: null, clientId: null, status: 404, targetLatencyMs: null, faultCode: 'gateway.no_route', totalLatencyMs: 0.25, at: 1_790_000_000_123 };
    memory.write(record);
    memory.write(unattributed);
    expect(memory.records).toEqual([record, unattributed]);
  });

  it('stays in order, oldest first, as it wraps around again and again', () => {
    const memory = new MemoryAnalytics(3);
    const ids: string[] = [];
    for (let i = 0; i < 11; i++) {
      ids.push(String(i));
      memory.write({ ...record, requestId: String(i) });
      expect(memory.records.map((r) => r.requestId)).toEqual(ids.slice(-3));
    }
  });
});
