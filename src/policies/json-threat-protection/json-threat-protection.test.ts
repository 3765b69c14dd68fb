import { describe, expect, it } from 'vitest';
import { configure, flowContext, policyDeps, withResponse } from '../../../test/helpers/flow-context.ts';
import { PolicyConfigError, type StepPlacement } from '../policy.ts';
import { jsonThreatProtection } from './index.ts';
import { scanJson, type JsonLimits } from './scan.ts';

const NONE: JsonLimits = { arrayElementCount: Infinity, containerDepth: Infinity, objectEntryCount: Infinity, objectEntryNameLength: Infinity, stringValueLength: Infinity };
const scan = (text: string, limits: Partial<JsonLimits> = {}) => scanJson(Buffer.from(text), { ...NONE, ...limits });

function step(config: unknown, phase: StepPlacement['phase'] = 'request') {
  const compiled = configure(jsonThreatProtection, config);
  return jsonThreatProtection.create(compiled, policyDeps(), { api: 'api', stepName: 'jtp', phase });
}

const post = (body: string, contentType = 'application/json') => flowContext({ method: 'POST', headers: { 'content-type': contentType }, body });

describe('scanJson', () => {
  it('accepts exactly what JSON.parse accepts', () => {
    const cases = [
      '{}', '[]', '0', '-0', '1.5e+10', '-12.34E-5', '"a"', 'true', 'false', 'null', ' \n\t{"a" : [1, {"b": null}] } ',
      '"\\u00e9\\n\\"\\\\\\/"', '{"a":{"b":{"c":[[],[{}]]}}}', '"h\u00e9llo \ud83d\ude00"',
      '', ' ', '{', '[', '[1,]', '{"a":1,}', '{"a"}', '{a:1}', '01', '1.', '.5', '-', '1e', '+1', 'tru', 'nul', 'True', '"abc', '"\\x"', '"\\u12g4"',
      '"tab\there"', '[1 2]', '{"a":1 "b":2}', '{} {}', '[]]', '{"a":1}}', "'a'", 'NaN', '[1,,2]', '{,}', '"a":1',
    ];
    for (const text of cases) {
      let valid = true;
      try {
        JSON.parse(text);
      } catch {
        valid = false;
      }
      expect(scan(text).ok, JSON.stringify(text)).toBe(valid);
    }
  });

  it('agrees with JSON.parse on thousands of mutated documents', () => {
    let seed = 42;
    const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648);
    const value = (depth: number): unknown => {
      const r = random();
      if (depth > 3 || r < 0.3) return [1, -2.5e3, 'x\u00e9"\n', true, false, null][Math.floor(random() * 6)];
      if (r < 0.65) return Array.from({ length: Math.floor(random() * 4) }, () => value(depth + 1));
      return Object.fromEntries(Array.from({ length: Math.floor(random() * 4) }, (_, i) => [`k${i}`, value(depth + 1)]));
    };
    const alphabet = '{}[]",:0123456789.eE+-tfnrul \\';
    for (let n = 0; n < 3000; n++) {
      const text = JSON.stringify(value(0));
      const at = Math.floor(random() * text.length);
      const mutated = random() < 0.5 ? text.slice(0, at) + alphabet[Math.floor(random() * alphabet.length)] + text.slice(at + 1) : text.slice(0, at) + text.slice(at + 1);
      let valid = true;
      try {
        JSON.parse(mutated);
      } catch {
        valid = false;
      }
      expect(scan(mutated).ok, mutated).toBe(valid);
    }
  });

  it('ignores a UTF-8 byte order mark', () => {
    expect(scanJson(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"a":1}')]), NONE).ok).toBe(true);
  });

  it('counts container depth from 1 for the top-level container', () => {
    expect(scan('[{"a":{}}]', { containerDepth: 3 }).ok).toBe(true);
    expect(scan('[{"a":{"b":[]}}]', { containerDepth: 3 })).toMatchObject({ ok: false, kind: 'exceeded', limit: 'containerDepth', max: 3 });
    expect(scan('"scalar"', { containerDepth: 0 }).ok).toBe(true);
  });

  it('counts the elements of each array separately', () => {
    expect(scan('[[1,2,3],[4,5,6]]', { arrayElementCount: 3 }).ok).toBe(true);
    expect(scan('[[1,2,3],[4,5,6,7]]', { arrayElementCount: 3 })).toMatchObject({ kind: 'exceeded', limit: 'arrayElementCount' });
    expect(scan('[]', { arrayElementCount: 0 }).ok).toBe(true);
  });

  it('counts the entries of each object, and the length of their names', () => {
    expect(scan('{"a":1,"b":{"c":1,"d":2}}', { objectEntryCount: 2 }).ok).toBe(true);
    expect(scan('{"a":1,"b":2,"c":3}', { objectEntryCount: 2 })).toMatchObject({ kind: 'exceeded', limit: 'objectEntryCount' });
    expect(scan('{"abc":1}', { objectEntryNameLength: 3 }).ok).toBe(true);
    expect(scan('{"abcd":1}', { objectEntryNameLength: 3 })).toMatchObject({ kind: 'exceeded', limit: 'objectEntryNameLength' });
  });

  it('measures strings in characters, an escape being one', () => {
    expect(scan('"h\u00e9llo"', { stringValueLength: 5 }).ok).toBe(true);
    expect(scan('"\\u00e9\\n\\"ab"', { stringValueLength: 5 }).ok).toBe(true);
    expect(scan('"abcdef"', { stringValueLength: 5 })).toMatchObject({ kind: 'exceeded', limit: 'stringValueLength' });
    expect(scan('{"abcdef":"x"}', { stringValueLength: 5 }).ok).toBe(true);
  });

  it('stops at the first violation without reading the rest', () => {
    const huge = `["${'a'.repeat(5_000_000)}"`; // not even closed: the scanner never gets there
    expect(scan(huge, { stringValueLength: 100 })).toMatchObject({ kind: 'exceeded', position: 1 });
  });

  it('survives nesting far deeper than any recursive parser', () => {
    const deep = '['.repeat(200_000) + ']'.repeat(200_000);
    expect(scan(deep).ok).toBe(true);
    expect(scan(deep, { containerDepth: 20 })).toMatchObject({ kind: 'exceeded', limit: 'containerDepth', position: 20 });
  });
});

describe('json-threat-protection', () => {
  it('lets JSON within the limits through', async () => {
    await step({ containerDepth: 5, stringValueLength: 50 })(post('{"user": {"name": "dana"}}'));
  });

  it('refuses a request body over a limit with 400 and the limit as fault name', async () => {
    const context = post('{"a":{"b":{"c":1}}}', 'application/vnd.api+json; charset=utf-8');
    await expect(async () => step({ containerDepth: 2 })(context)).rejects.toMatchObject({
      code: 'json-threat-protection.exceeded',
      faultName: 'ExceededContainerDepth',
      apigeeCode: 'steps.jsonthreatprotection.ExecutionFailed',
      status: 400,
    });
  });

  it('refuses malformed JSON with 400', async () => {
    await expect(async () => step({ containerDepth: 2 })(post('{"a":'))).rejects.toMatchObject({ code: 'json-threat-protection.malformed', faultName: 'ExecutionFailed', status: 400 });
  });

  it('passes bodies that are not JSON by content type, and empty bodies', async () => {
    await step({ containerDepth: 1 })(post('[[[[', 'text/plain'));
    await step({ containerDepth: 1 })(flowContext({ method: 'POST', body: '[[[[' }));
    await step({ containerDepth: 1 })(post(''));
  });

  it('checks the response in the response flow', async () => {
    const context = withResponse(flowContext(), 200, '[1,2,3]');
    await expect(async () => step({ arrayElementCount: 2 }, 'response')(context)).rejects.toMatchObject({ faultName: 'ExceededArrayElementCount' });
  });

  it('treats -1 as no limit, and needs at least one limit', () => {
    expect(() => step({})).toThrow(PolicyConfigError);
    expect(() => step({ containerDepth: -1 })).toThrow(/at least one/);
    expect(() => step({ source: 'response', containerDepth: 1 }, 'request')).toThrow(/request flow has none yet/);
  });
});
