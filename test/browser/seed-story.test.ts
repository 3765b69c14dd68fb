// The seed story through the two web apps, nothing else: an admin designs the token API and the weather API in the
// console and publishes a product; a developer signs up on the hub, creates the app, copies the credentials and gets
// a token there; then the protected call succeeds with those credentials, as Postman's client-credentials flow would
// make it. Another developer cannot see that app.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWeatherService } from '../../examples/seed-walkthrough/weather-service.js';
import { browserAvailable, launchBrowser, newPage } from '../helpers/browser.ts';
import { startGatehouse, type Gatehouse } from '../helpers/gatehouse.ts';
import { field, pick, switchOn, unexpectedErrors } from '../helpers/ui.ts';

const PASSWORD = 'correct horse battery staple';

describe.skipIf(!browserAvailable())('the seed story in the console and the hub', { timeout: 60_000 }, () => {
  let browser: Browser;
  let gh: Gatehouse;
  let weather: { url: string; close(): Promise<void> };
  const contexts: BrowserContext[] = [];
  const errors: string[][] = [];
  let clientId = '';
  let clientSecret = '';

  async function open(): Promise<Page> {
    const opened = await newPage(browser);
    contexts.push(opened.context);
    errors.push(opened.errors);
    opened.page.setDefaultTimeout(15_000);
    return opened.page;
  }

  beforeAll(async () => {
    weather = await startWeatherService(0, '127.0.0.1');
    gh = await startGatehouse();
    // The admin who runs Gatehouse; everything after this line happens in the browser.
    expect((await gh.manage('POST', '/users', { email: 'ada@example.com', displayName: 'Ada Admin', roles: ['admin'], password: PASSWORD })).status).toBe(201);
    browser = await launchBrowser();
  });

  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await gh?.close();
    await weather?.close();
    expect(errors.flatMap((e) => unexpectedErrors(e))).toEqual([]);
  });

  /** In the console: create an API, add one oauth-v2 step with the given operation, save, deploy. */
  async function buildApi(page: Page, name: string, basePath: string, target: string | undefined, operation: string): Promise<void> {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'APIs', exact: true }).click();
    await page.getByRole('button', { name: 'Create API' }).first().click();
    const dialog = page.getByRole('dialog', { name: 'Create an API' });
    await field(dialog, 'Name').fill(name);
    await field(dialog, 'Base path').fill(basePath);
    if (target) await field(dialog, 'Target URL').fill(target);
    await dialog.getByRole('button', { name: 'Create API' }).click();
    await page.getByRole('heading', { name, exact: true }).waitFor();

    await page.getByRole('button', { name: 'Add a step to the PreFlow, request' }).click();
    await page.getByRole('dialog', { name: 'Add a step to the PreFlow, request' }).getByRole('button', { name: /^Add oauth-v2:/ }).click();
    const drawer = page.getByRole('dialog', { name: 'oauth-v2' });
    await pick(page, 'Operation', operation);
    await drawer.getByRole('button', { name: 'Done' }).click();
    await drawer.waitFor({ state: 'hidden' });
    await page.getByTestId('step-card').filter({ hasText: `operation: ${operation}` }).waitFor();
    await page.getByRole('button', { name: 'Save revision' }).click();
    // Saved: the tab no longer says "unsaved".
    await page.getByRole('tab', { name: 'Revisions & deployment', exact: true }).waitFor();

    await page.getByRole('tab', { name: /Revisions & deployment/ }).click();
    await page.getByRole('button', { name: 'Deploy revision 2' }).first().click();
    await page.getByRole('heading', { name: 'Revision 2 is deployed' }).waitFor();
  }

  it('an admin signs in to the console, builds the token API and the weather API, and publishes a product with both', async () => {
    const page = await open();
    await page.goto(`${gh.admin}/`);
    await field(page, 'Email').fill('ada@example.com');
    await field(page, 'Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('heading', { name: /Ada Admin$/ }).waitFor();

    // The seed's token API: an OAuth v2.0 policy in the PreFlow, no backend.
    await buildApi(page, 'token', '/oauth/token', undefined, 'GenerateAccessToken');
    // The weather API, protected by "verify token".
    await buildApi(page, 'weather', '/weather', weather.url, 'VerifyAccessToken');

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Products', exact: true }).click();
    await page.getByRole('link', { name: 'Create product' }).first().click();
    await field(page, 'Name').fill('weather');
    await field(page, 'Display name').fill('Weather');
    await field(page, 'Description').fill('Current weather by city.');
    await page.getByRole('combobox', { name: 'APIs in this product' }).click();
    await page.getByRole('option', { name: 'token (/oauth/token)' }).click();
    await page.getByRole('option', { name: 'weather (/weather)' }).click();
    await page.keyboard.press('Escape');
    await switchOn(page, 'Published');
    await page.getByRole('button', { name: 'Create product' }).click();
    await page.getByText('Created Weather').first().waitFor();

    // Nothing is deployed yet that lets an unknown caller through.
    expect((await fetch(`${gh.gateway}/weather/data/2.5/weather?q=Berlin`)).status).toBe(401);
  });

  it('a developer signs up on the hub, creates the app with the product, copies the credentials and gets a token there', async () => {
    const page = await open();
    await page.goto(`${gh.hub}/`);
    await page.getByRole('article', { name: 'Weather' }).waitFor();
    await page.getByRole('banner').getByRole('link', { name: 'Sign up' }).click();
    await page.getByLabel('Your name').fill('Dana Developer');
    await page.getByLabel('Email').fill('dana@example.com');
    await page.getByLabel(/^Password/).fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign up' }).click();
    await page.getByRole('heading', { name: 'My apps' }).waitFor();

    await page.getByRole('link', { name: 'Create app' }).click();
    await page.getByLabel('App name').fill('weather-app');
    await page.getByRole('checkbox', { name: 'Weather', exact: true }).click();
    await page.getByRole('button', { name: 'Create app' }).click();
    await page.getByText('Your app is ready').waitFor();
    clientId = (await page.getByTestId('client-id').textContent()) ?? '';
    clientSecret = (await page.getByTestId('client-secret').textContent()) ?? '';
    expect(clientId).not.toBe('');
    expect(clientSecret.length).toBeGreaterThanOrEqual(40);

    await page.getByRole('form', { name: 'Get a token' }).getByRole('button', { name: 'Get a token' }).click();
    await page.getByText('Token received').waitFor();
    expect(await page.getByTestId('access-token').textContent()).toMatch(/^\S{20,}$/);
  });

  it('the protected call succeeds with those credentials (the client-credentials flow, as Postman makes it)', async () => {
    const basic = `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`;
    const tokenResponse = await fetch(`${gh.gateway}/oauth/token`, { method: 'POST', headers: { authorization: basic, 'content-type': 'application/x-www-form-urlencoded' }, body: 'grant_type=client_credentials' });
    expect(tokenResponse.status).toBe(200);
    const { access_token: token, token_type: type } = (await tokenResponse.json()) as { access_token: string; token_type: string };
    expect(type).toBe('Bearer');
    const call = await fetch(`${gh.gateway}/weather/data/2.5/weather?q=Berlin`, { headers: { authorization: `Bearer ${token}` } });
    expect(call.status).toBe(200);
    expect(((await call.json()) as { name: string }).name).toBe('Berlin');
  });

  it("another developer neither sees nor opens that app", async () => {
    const page = await open();
    await page.goto(`${gh.hub}/`);
    await page.getByRole('banner').getByRole('link', { name: 'Sign up' }).click();
    await page.getByLabel('Your name').fill('Eve Other');
    await page.getByLabel('Email').fill('eve@example.com');
    await page.getByLabel(/^Password/).fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign up' }).click();
    await page.getByRole('heading', { name: 'My apps' }).waitFor();
    await page.getByText('No apps yet').waitFor();
    expect(await page.getByText('weather-app').count()).toBe(0);

    await page.goto(`${gh.hub}/apps/weather-app`);
    await page.getByRole('alert').filter({ hasText: 'This app could not be loaded' }).waitFor();
    expect(await page.getByTestId('client-id').count()).toBe(0);
    // The 404 the page met is the one this test provokes.
    const last = errors.at(-1) ?? [];
    const provoked = last.filter((e) => /status of 404/.test(e));
    expect(provoked.length).toBeGreaterThan(0);
    last.splice(0, last.length, ...last.filter((e) => !/status of 404/.test(e)));
  });
});
