// A key-value-map step on a real gateway: a value read from a map into a header, changed through the management API
// and seen on the next call (the change notice drops the cached read; the 300 s cache TTL does not hold it back).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGatehouse, type Gatehouse } from '../helpers/gatehouse.ts';

let gh: Gatehouse;

beforeAll(async () => {
  gh = await startGatehouse();
  expect((await gh.manage('POST', '/keyvaluemaps', { name: 'regions' })).status).toBe(201);
  expect((await gh.manage('PUT', '/keyvaluemaps/regions/entries/default', { value: 'eu-west' })).status).toBe(201);
  expect((await gh.manage('POST', '/keyvaluemaps', { name: 'secrets', encrypted: true })).status).toBe(201);
  expect((await gh.manage('PUT', '/keyvaluemaps/secrets/entries/upstream-key', { value: 'sealed-value' })).status).toBe(201);
  const api = {
    name: 'kvm-demo',
    basePath: '/kvm',
    preFlow: {
      request: [
        {
          policy: 'key-value-map',
          name: 'read-config',
          config: {
            mapName: 'regions',
            get: [{ key: 'default', assignTo: 'flow.region' }],
            put: [{ key: 'last-caller', value: '{request.header.x-caller}', override: true }],
          },
        },
        { policy: 'key-value-map', name: 'read-secret', config: { mapName: 'secrets', get: [{ key: 'upstream-key', assignTo: 'private.key' }] } },
        { policy: 'key-value-map', name: 'read-secret-badly', condition: 'request.header.x-leak = "yes"', config: { mapName: 'secrets', get: [{ key: 'upstream-key', assignTo: 'flow.key' }] } },
      ],
      response: [{ policy: 'assign-message', name: 'headers', config: { set: { headers: { 'x-region': '{flow.region}', 'x-key-length': '{private.key}' } }, ignoreUnresolvedVariables: true } }],
    },
  };
  expect((await gh.manage('POST', '/apis', api)).status).toBe(201);
  expect((await gh.manage('POST', '/apis/kvm-demo/revisions/1/deployment')).status).toBe(200);
});

afterAll(async () => {
  await gh?.close();
});

describe('a key-value-map step on the gateway', () => {
  it('reads the value into a header, and sees a change made through the API on the next call', async () => {
    const first = await fetch(`${gh.gateway}/kvm/anything`, { headers: { 'x-caller': 'ann' } });
    expect(first.headers.get('x-region')).toBe('eu-west');

    expect((await gh.manage('PUT', '/keyvaluemaps/regions/entries/default', { value: 'us-east' })).status).toBe(200);
    const second = await fetch(`${gh.gateway}/kvm/anything`, { headers: { 'x-caller': 'ben' } });
    expect(second.headers.get('x-region')).toBe('us-east');

    // The step's put landed in the store: the management API reads it.
    expect((await (await gh.manage('GET', '/keyvaluemaps/regions/entries/last-caller')).json()).value).toBe('ben');
  });

  it('decrypts an encrypted value into a private. variable; a non-private variable is a 500 SetVariableFailed', async () => {
    const ok = await fetch(`${gh.gateway}/kvm/anything`, { headers: { 'x-caller': 'cy' } });
    expect(ok.headers.get('x-key-length')).toBe('sealed-value');

    const leak = await fetch(`${gh.gateway}/kvm/anything`, { headers: { 'x-caller': 'dee', 'x-leak': 'yes' } });
    expect(leak.status).toBe(500);
    const text = await leak.text();
    expect(text).toContain('key-value-map.set_variable_failed');
    expect(text).not.toContain('sealed-value');
  });
});
