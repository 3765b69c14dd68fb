// The declarative engine against a live management API: plan, apply, idempotence, drift, export round trip.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apply, formatPlan, summarise } from '../../src/declarative/apply.ts';
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

// The file of the gateway issue, verbatim: its field names are the contract.
const SEED = `
apis:
  - name: token
    basePath: /oauth/token
    preFlow:
      request:
        - policy: oauth-v2
          config: { operation: GenerateAccessToken, supportedGrantTypes: [client_credentials], expiresIn: 3600000 }
  - name: weather
    basePath: /weather
    target: { url: "\${WEATHER_URL}" }
    preFlow:
      request:
        - policy: oauth-v2
          config: { operation: VerifyAccessToken }
products:
  - name: weather
    displayName: Weather
    apis: [token, weather]
    published: true
developers:
  - email: dana@example.com
    firstName: Dana
    lastName: Developer
    apps:
      - name: weather-app
        products: [weather]
        credentials:
          - clientId: "\${WEATHER_CLIENT_ID}"
            clientSecret: "\${WEATHER_CLIENT_SECRET}"
`;

const env = { WEATHER_URL: 'http://127.0.0.1:9000', WEATHER_CLIENT_ID: 'weather-client-0001', WEATHER_CLIENT_SECRET: 'weather-secret-0123456789' };
const client = () => httpClient(cp.url, cp.adminToken);

describe('apply', () => {
  it('plans the seed file without changing anything on a dry run', async () => {
    const result = await apply(client(), parseDesiredState(SEED, env), { dryRun: true });
    expect(result.steps.map((s) => `${s.action} ${s.kind} ${s.name}`)).toEqual([
      'create api token',
      'create api weather',
      'create product weather',
      'create developer dana@example.com',
      'create app dana@example.com/weather-app',
    ]);
    expect(summarise(result.steps)).toBe('5 to create');
    expect((await (await cp.call('GET', '/apis')).json()).items).toEqual([]);
  });

  it('applies it: APIs saved and deployed, product, developer, app with the imported credential', async () => {
    const result = await apply(client(), parseDesiredState(SEED, env));
    expect(result.changed).toBe(true);
    expect((await (await cp.call('GET', '/apis/weather/deployment')).json()).revision).toBe(1);
    const app = await (await cp.call('GET', '/developers/dana@example.com/apps/weather-app')).json();
    expect(app.credentials).toEqual([expect.objectContaining({ clientId: 'weather-client-0001', products: [{ name: 'weather', status: 'approved' }] })]);
    const check = await cp.call('POST', '/developers/dana@example.com/apps/weather-app/credentials/weather-client-0001/check-secret', { clientSecret: env.WEATHER_CLIENT_SECRET });
    expect((await check.json()).matches).toBe(true);
  });

  it('changes nothing when the same file is applied again', async () => {
    const auditBefore = (await (await cp.call('GET', '/audit?limit=500')).json()).items.length;
    const result = await apply(client(), parseDesiredState(SEED, env));
    expect(result.changed).toBe(false);
    expect(result.steps.every((s) => s.action === 'unchanged')).toBe(true);
    expect((await (await cp.call('GET', '/audit?limit=500')).json()).items.length).toBe(auditBefore);
  });

  it('saves and deploys a new revision for a changed API, and sets a changed secret', async () => {
    const changed = { ...env, WEATHER_URL: 'http://127.0.0.1:9001', WEATHER_CLIENT_SECRET: 'rotated-secret-0123456789' };
    const dry = await apply(client(), parseDesiredState(SEED, changed), { dryRun: true });
    expect(formatPlan(dry.steps)).toContain('target.url: "http://127.0.0.1:9000" → "http://127.0.0.1:9001"');
    await apply(client(), parseDesiredState(SEED, changed));
    expect(await (await cp.call('GET', '/apis/weather')).json()).toMatchObject({ latestRevision: 2, deployedRevision: 2, target: { url: 'http://127.0.0.1:9001' } });
    const check = await cp.call('POST', '/developers/dana@example.com/apps/weather-app/credentials/weather-client-0001/check-secret', { clientSecret: 'rotated-secret-0123456789' });
    expect((await check.json()).matches).toBe(true);
  });

  it('deploys the latest revision when someone undeployed the API', async () => {
    await cp.call('DELETE', '/apis/token/deployment');
    const result = await apply(client(), parseDesiredState(SEED, { ...env, WEATHER_URL: 'http://127.0.0.1:9001', WEATHER_CLIENT_SECRET: 'rotated-secret-0123456789' }));
    expect(result.steps.find((s) => s.name === 'token')?.action).toBe('deploy');
    expect((await cp.call('GET', '/apis/token/deployment')).status).toBe(200);
  });

  it('shows a generated secret once, when the file imports none', async () => {
    const file = 'developers:\n  - email: sam@example.com\n    firstName: Sam\n    lastName: Smith\n    apps:\n      - name: sam-app\n        products: [weather]\n';
    const result = await apply(client(), parseDesiredState(file, {}));
    const step = result.steps.find((s) => s.kind === 'app');
    expect(step?.shown?.[0]).toMatch(/^client id [A-Za-z0-9]{32}, client secret [A-Za-z0-9_-]{43} \(shown once; keep it safe\)$/);
    expect(formatPlan(result.steps)).toContain('client secret');
  });

  it('reports what the management API refused, with its code', async () => {
    const file = 'products:\n  - name: ghostly\n    apis: [ghost]\n';
    await expect(apply(client(), parseDesiredState(file, {}))).rejects.toThrow(/Product 'ghostly' lists 'ghost', which is not an API\. \[product\.unknown_api\]/);
  });
});

describe('export', () => {
  it('writes the live state in the same format, without secrets, and applying it changes nothing', async () => {
    const state = await exportState(client());
    const yaml = toYaml(state);
    expect(yaml).toContain('name: weather-app');
    expect(yaml).not.toContain('rotated-secret');
    expect(yaml).not.toContain('clientSecret');
    const again = await apply(client(), parseDesiredState(yaml, {}));
    expect(again.changed).toBe(false);
  });
});
