// Key value maps in the declarative file: plan, apply, idempotence (by value for plain maps; encrypted values are
// written every time, and the plan says why), and export with ${VAR} placeholders instead of encrypted values.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apply, formatPlan } from '../../src/declarative/apply.ts';
import { httpClient } from '../../src/declarative/client.ts';
import { exportState, toYaml } from '../../src/declarative/export.ts';
import { parseDesiredState } from '../../src/declarative/file.ts';
import { startControlPlane, type ControlPlane } from '../helpers/control-plane.ts';

let cp: ControlPlane;
beforeAll(async () => {
  cp = await startControlPlane();
});
afterAll(async () => {
  await cp.close();
});

const client = () => httpClient(cp.url, cp.adminToken);

const FILE = `
apis:
  - name: weather
    basePath: /weather
keyValueMaps:
  - name: settings
    entries: { region: eu-west, price: "$$5" }
  - name: settings
    api: weather
    entries: { timeout: "30" }
  - name: secrets
    encrypted: true
    entries: { apikey: "\${UPSTREAM_KEY}" }
`;

describe('key value maps in the declarative file', () => {
  it('creates the maps and their entries, then plans nothing for plain maps and a rewrite for encrypted ones', async () => {
    const state = parseDesiredState(FILE, { UPSTREAM_KEY: 'very-secret' });
    const first = await apply(client(), state);
    expect(first.steps.filter((s) => s.kind === 'kvm').map((s) => `${s.action} ${s.name}`)).toEqual(['create settings', 'create weather/settings', 'create secrets']);
    expect((await (await cp.call('GET', '/keyvaluemaps/settings/entries/price')).json()).value).toBe('$5');
    expect((await (await cp.call('GET', '/keyvaluemaps/settings/entries/timeout?api=weather')).json()).value).toBe('30');

    const second = await apply(client(), state, { dryRun: true });
    const kvm = second.steps.filter((s) => s.kind === 'kvm');
    expect(kvm.map((s) => `${s.action} ${s.name}`)).toEqual(['unchanged settings', 'unchanged weather/settings', 'update secrets']);
    expect(formatPlan(kvm)).toContain('cannot be read back');
    expect(formatPlan(kvm)).not.toContain('very-secret');
  });

  it('plans a changed plain value as an update of that entry, and keeps entries the file does not list', async () => {
    await cp.call('PUT', '/keyvaluemaps/settings/entries/extra', { value: 'set elsewhere' });
    const changed = parseDesiredState(FILE.replace('eu-west', 'us-east'), { UPSTREAM_KEY: 'very-secret' });
    const result = await apply(client(), changed);
    const step = result.steps.find((s) => s.kind === 'kvm' && s.name === 'settings');
    expect(step?.action).toBe('update');
    expect(step?.notes).toEqual(['entry "region": value changes']);
    expect((await (await cp.call('GET', '/keyvaluemaps/settings/entries/region')).json()).value).toBe('us-east');
    expect((await cp.call('GET', '/keyvaluemaps/settings/entries/extra')).status).toBe(200);
  });

  it('exports plain values, and ${VAR} placeholders instead of encrypted ones', async () => {
    const yaml = toYaml(await exportState(client()));
    expect(yaml).not.toContain('very-secret');
    expect(yaml).toContain('${KVM_SECRETS_APIKEY}');
    expect(yaml).toContain('$$5');
    const back = parseDesiredState(yaml, { KVM_SECRETS_APIKEY: 'very-secret' });
    expect(back.keyValueMaps?.find((m) => m.name === 'settings' && !m.api)?.entries).toMatchObject({ region: 'us-east', price: '$5', extra: 'set elsewhere' });
    expect(back.keyValueMaps?.find((m) => m.name === 'secrets')).toMatchObject({ encrypted: true, entries: { apikey: 'very-secret' } });
  });
});
