// The developer hub in a real browser: a visitor browses the catalogue, signs up, creates an app with a product,
// copies the client id and secret, gets a token, calls the API in the try-it console and downloads the Postman
// collection; an account without the developer role is told why it cannot create apps; phones get a burger menu.
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startWeatherService } from '../../examples/seed-walkthrough/weather-service.js';
import { browserAvailable, launchBrowser, newPage, PHONE, SCREENSHOT_DIR, screenshot } from '../helpers/browser.ts';
import { applyFile, startGatehouse, type Gatehouse } from '../helpers/gatehouse.ts';
import { untilTrue } from '../helpers/gateway-upstreams.ts';

const PASSWORD = 'correct horse battery staple';

const FILE = `
apis:
  - name: token
    displayName: OAuth 2.0 token endpoint
    basePath: /oauth/token
    preFlow:
      request:
        - policy: oauth-v2
          config: { operation: GenerateAccessToken, supportedGrantTypes: [client_credentials], expiresIn: 3600000 }
  - name: weather
    displayName: Weather
    description: Current weather by city, like OpenWeather's.
    basePath: /weather
    target: { url: "\${WEATHER_URL}" }
    preFlow:
      request:
        - policy: oauth-v2
          config: { operation: VerifyAccessToken }
    openapi:
      openapi: 3.0.3
      info: { title: Weather, version: "2.5" }
      paths:
        /data/2.5/weather:
          get:
            summary: Current weather in a city
            parameters:
              - { name: q, in: query, required: true, description: "City name, e.g. Berlin", schema: { type: string } }
            responses:
              "200": { description: The current weather }
              "404": { description: No such city }
products:
  - name: weather
    displayName: Weather
    description: Current weather by city, with OAuth 2.0 client credentials.
    apis: [token, weather]
    published: true
  - name: weather-premium
    displayName: Weather premium
    description: Higher limits, reviewed by the API team.
    apis: [token, weather]
    approval: manual
    quota: { limit: 1000, timeUnit: minute }
    published: true
`;

/** Failed requests the scenarios provoke on purpose. */
const EXPECTED_HTTP_ERRORS = /Failed to load resource: the server responded with a status of (401|403)/;
const unexpected = (errors: string[]) => errors.filter((e) => !EXPECTED_HTTP_ERRORS.test(e));

/** A full-page screenshot from the top, so the fixed header sits where it belongs. */
async function shot(page: Page, name: string): Promise<void> {
  await page.evaluate('window.scrollTo(0, 0)');
  await screenshot(page, name);
}

describe.skipIf(!browserAvailable())('the developer hub', () => {
  let browser: Browser;
  let gh: Gatehouse;
  let weather: { url: string; close(): Promise<void> };

  beforeAll(async () => {
    weather = await startWeatherService(0, '127.0.0.1');
    gh = await startGatehouse();
    await applyFile(gh, FILE, { WEATHER_URL: weather.url });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await gh?.close();
    await weather?.close();
  });

  describe('a developer from the catalogue to a call', () => {
    let context: BrowserContext;
    let page: Page;
    let errors: string[];
    let clientId = '';
    let clientSecret = '';

    beforeAll(async () => {
      ({ context, page, errors } = await newPage(browser));
      await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: gh.hub });
      page.setDefaultTimeout(15_000);
    });
    afterAll(async () => {
      await context?.close();
    });
    afterEach(() => {
      expect(unexpected(errors)).toEqual([]);
    });

    const clipboard = () => page.evaluate<string>('navigator.clipboard.readText()');

    it('shows the published products to a visitor, and offers to sign up', async () => {
      await page.goto(`${gh.hub}/`);
      await page.getByRole('heading', { name: 'APIs you can build on' }).waitFor();
      const cards = page.getByTestId('catalogue').getByRole('article');
      await cards.first().waitFor();
      expect(await cards.count()).toBe(2);
      await page.getByRole('article', { name: 'Weather premium' }).getByText('Needs approval').waitFor();
      await page.getByRole('banner').getByRole('link', { name: 'Sign up' }).waitFor();
      await shot(page, 'hub-catalogue');
    });

    it("shows a product's token URL and its API's operations from the OpenAPI document", async () => {
      await page.getByRole('link', { name: 'View Weather', exact: true }).click();
      await page.getByRole('heading', { name: 'Weather', level: 1 }).waitFor();
      expect(await page.getByTestId('token-url').textContent()).toBe(`${gh.gateway}/oauth/token`);
      await page.getByRole('button', { name: 'GET /weather/data/2.5/weather: Current weather in a city' }).click();
      await page.getByRole('cell', { name: 'City name, e.g. Berlin' }).waitFor();
      await page.getByText('No such city').waitFor();
      await shot(page, 'hub-product');
    });

    it('signs up with name, email and password, and lands in an empty workspace', async () => {
      await page.getByRole('banner').getByRole('link', { name: 'Sign up' }).click();
      await page.getByRole('heading', { name: 'Create your developer account' }).waitFor();
      await page.getByLabel('Your name').fill('Dana Developer');
      await page.getByLabel('Email').fill('dana@example.com');
      await page.getByLabel(/^Password/).fill('short');
      await page.getByRole('button', { name: 'Sign up' }).click();
      await page.getByText('Use at least 12 characters.').waitFor();
      await page.getByLabel(/^Password/).fill(PASSWORD);
      await shot(page, 'hub-sign-up');
      await page.getByRole('button', { name: 'Sign up' }).click();
      await page.getByRole('heading', { name: 'My apps' }).waitFor();
      await page.getByText('No apps yet').waitFor();
      await page.getByRole('button', { name: 'Account menu, signed in as Dana Developer' }).waitFor();
    });

    it('creates an app with a product and shows the client id and the secret in full once, with copy buttons', async () => {
      await page.getByRole('link', { name: 'Create app' }).click();
      await page.getByLabel('App name').fill('weather-app');
      await page.getByLabel('Description').fill('Shows the weather on my dashboard.');
      await page.getByRole('checkbox', { name: 'Weather', exact: true }).click();
      await page.getByRole('button', { name: 'Create app' }).click();
      await page.getByText('Your app is ready').waitFor();

      clientId = (await page.getByTestId('client-id').textContent()) ?? '';
      clientSecret = (await page.getByTestId('client-secret').textContent()) ?? '';
      expect(clientId).toMatch(/^[\w.~-]{8,}$/);
      expect(clientSecret.length).toBeGreaterThanOrEqual(40);
      await page.getByRole('button', { name: 'Copy client id' }).click();
      expect(await clipboard()).toBe(clientId);
      await page.getByRole('button', { name: 'Copy client secret' }).click();
      expect(await clipboard()).toBe(clientSecret);
      await page.getByLabel('weather: Approved').waitFor();

      const app = await (await gh.manage('GET', '/developers/dana@example.com/apps/weather-app')).json();
      expect(app.credentials[0].clientId).toBe(clientId);
    });

    it('gets a token in the hub with the secret it holds, and the token works on the gateway', async () => {
      await page.getByRole('button', { name: 'I have copied it, hide it' }).click();
      await page.getByTestId('client-secret-hidden').waitFor();
      expect(await page.getByTestId('client-secret').count()).toBe(0);

      await page.getByRole('form', { name: 'Get a token' }).getByRole('button', { name: 'Get a token' }).click();
      await page.getByText('Token received').waitFor();
      const token = (await page.getByTestId('access-token').textContent()) ?? '';
      await page.getByRole('button', { name: 'Copy access token' }).click();
      expect(await clipboard()).toBe(token);
      const call = await fetch(`${gh.gateway}/weather/data/2.5/weather?q=Berlin`, { headers: { authorization: `Bearer ${token}` } });
      expect(call.status).toBe(200);
      mkdirSync(SCREENSHOT_DIR, { recursive: true });
      await page.getByRole('region', { name: 'Get a token' }).screenshot({ path: join(SCREENSHOT_DIR, 'hub-token.png'), animations: 'disabled' });
    });

    it('calls the API in the try-it console with the token, and shows the traffic', async () => {
      const console = page.getByRole('form', { name: 'Try a call' });
      await console.getByLabel('Path').fill('/weather/data/2.5/weather?q=Berlin');
      expect(await console.getByLabel('Headers').inputValue()).toMatch(/^Authorization: Bearer \S+$/);
      await console.getByRole('button', { name: 'Send' }).click();
      expect(await page.getByTestId('try-status').textContent()).toBe('200');
      expect(await page.getByTestId('try-body').textContent()).toContain('"name": "Berlin"');

      expect(await untilTrue(() => gh.analytics.records.some((r) => r.app === 'weather-app' && r.api === 'weather'))).toBe(true);
      await page.getByRole('button', { name: 'Refresh the traffic' }).click();
      await page.getByText('Latest calls').waitFor();
      await page.getByTestId('traffic-chart').waitFor();
      await shot(page, 'hub-app');
    });

    it('downloads the Postman collection of the app', async () => {
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download Postman collection' }).click()]);
      expect(download.suggestedFilename()).toBe('weather-app.postman_collection.json');
      const collection = JSON.parse(readFileSync((await download.path()) as string, 'utf8'));
      const variables = Object.fromEntries(collection.variable.map((v: { key: string; value: string }) => [v.key, v.value]));
      expect(variables).toMatchObject({ tokenUrl: `${gh.gateway}/oauth/token`, clientId, clientSecret: '' });
    });

    it('regenerates the secret after asking, and shows the new one once', async () => {
      await page.getByRole('button', { name: 'Regenerate secret' }).click();
      const dialog = page.getByRole('dialog', { name: 'Regenerate the client secret?' });
      await dialog.getByText('stops working at once').waitFor();
      await dialog.getByRole('button', { name: 'Regenerate secret' }).click();
      const fresh = (await page.getByTestId('client-secret').textContent()) ?? '';
      expect(fresh).not.toBe(clientSecret);
      expect(fresh.length).toBeGreaterThanOrEqual(40);
    });

    it('lists the app with the approval state of each product, pending for a manual one', async () => {
      await page.getByRole('button', { name: 'Edit' }).click();
      await page.getByRole('dialog').getByRole('checkbox', { name: 'Weather premium' }).click();
      await page.getByRole('dialog').getByRole('button', { name: 'Save' }).click();
      await page.getByLabel('weather-premium: Pending approval').waitFor();
      await page.getByRole('banner').getByRole('link', { name: 'My apps' }).click();
      const card = page.getByRole('article', { name: 'weather-app' });
      await card.getByLabel('weather: Approved').waitFor();
      await card.getByLabel('weather-premium: Pending approval').waitFor();
      await shot(page, 'hub-apps');
    });
  });

  it('tells an account without the developer role why it cannot create apps, where the button would be', async () => {
    expect((await gh.manage('POST', '/users', { email: 'vic@example.com', displayName: 'Vic Viewer', password: PASSWORD, roles: ['viewer'] })).status).toBe(201);
    const { context, page, errors } = await newPage(browser);
    try {
      page.setDefaultTimeout(15_000);
      await page.goto(`${gh.hub}/apps`);
      await page.getByRole('heading', { name: 'Sign in' }).waitFor();
      await page.getByLabel('Email').fill('vic@example.com');
      await page.getByLabel(/^Password/).fill(PASSWORD);
      await page.getByRole('button', { name: 'Sign in', exact: true }).click();
      await page.getByRole('heading', { name: 'My apps' }).waitFor();
      const message = page.getByTestId('role-message');
      await message.getByText('You cannot create apps yet').waitFor();
      expect(await message.textContent()).toContain(
        'Creating apps needs the developer role. Your account (vic@example.com) has the role viewer. Ask a Gatehouse administrator to add the developer role in the console under Users.',
      );
      expect(await page.getByRole('link', { name: 'Create app' }).count()).toBe(0);
      await shot(page, 'hub-role-message');
      expect(unexpected(errors)).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('folds the navigation into a burger menu on a phone', async () => {
    const { context, page, errors } = await newPage(browser, { viewport: PHONE });
    try {
      page.setDefaultTimeout(15_000);
      await page.goto(`${gh.hub}/`);
      await page.getByRole('heading', { name: 'APIs you can build on' }).waitFor();
      expect(await page.getByRole('navigation', { name: 'Main', exact: true }).isVisible()).toBe(false);
      await page.getByRole('button', { name: 'Open navigation' }).click();
      const menu = page.getByRole('navigation', { name: 'Main (menu)' });
      await menu.getByRole('link', { name: 'Sign in' }).waitFor();
      await shot(page, 'hub-phone');
      await menu.getByRole('link', { name: 'My apps' }).click();
      await page.getByRole('heading', { name: 'Sign in' }).waitFor();
      expect(await page.getByRole('button', { name: 'Open navigation' }).isVisible()).toBe(true);
      expect(unexpected(errors)).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
