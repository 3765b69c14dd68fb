// The admin console in a real browser: an admin walks the seed story (sign in, build and deploy APIs in the flow
// editor, publish a product, look after a developer's apps, approve a sign-up, tokens, audit, traffic), and the
// console keeps viewers read-only, refuses developer-only accounts, and folds its navigation on a phone.
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startWeatherService } from '../../examples/seed-walkthrough/weather-service.js';
import { browserAvailable, launchBrowser, newPage, PHONE, screenshot, SCREENSHOT_DIR } from '../helpers/browser.ts';
import { ADMIN_TOKEN, startGatehouse, type Gatehouse } from '../helpers/gatehouse.ts';
import { field, pick, switchOn } from '../helpers/ui.ts';

const PASSWORD = 'correct-horse-battery-staple';
const CLIENT_ID = 'weather-client-0001';
const CLIENT_SECRET = 'weather-secret-0123456789';

/** Failed requests the scenarios provoke on purpose (wrong password, refused account, base path conflict). */
const EXPECTED_HTTP_ERRORS = /Failed to load resource: the server responded with a status of (401|403|409|412)/;
const unexpected = (errors: string[]) => errors.filter((e) => !EXPECTED_HTTP_ERRORS.test(e));

async function ok(gh: Gatehouse, method: string, path: string, body?: unknown): Promise<any> {
  const res = await gh.manage(method, path, body);
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return res.status === 204 ? undefined : res.json();
}

/** A screenshot for the docs, without the notifications of the moment on top. */
async function shot(page: Page, name: string): Promise<void> {
  const style = await page.addStyleTag({ content: '.mantine-Notifications-root { display: none !important; }' });
  await screenshot(page, name);
  await style.evaluate((element) => element.remove());
}

async function signIn(page: Page, origin: string, email: string, password = PASSWORD): Promise<void> {
  await page.goto(`${origin}/`);
  await field(page, 'Email').fill(email);
  await field(page, 'Password').fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
}

const nav = (page: Page, name: string) => page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name, exact: true });

describe.skipIf(!browserAvailable())('the admin console', { timeout: 60_000 }, () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  describe('an admin walks the seed story', () => {
    let gh: Gatehouse;
    let weather: { url: string; close(): Promise<void> };
    let context: BrowserContext;
    let page: Page;
    let errors: string[];

    beforeAll(async () => {
      weather = await startWeatherService(0, '127.0.0.1');
      gh = await startGatehouse({ env: { GATEHOUSE_HUB_SIGNUP: 'approval' } });
      await ok(gh, 'POST', '/users', { email: 'ada@example.com', displayName: 'Ada Admin', roles: ['admin'], password: PASSWORD });
      await ok(gh, 'POST', '/developers', { email: 'dana@example.com', firstName: 'Dana', lastName: 'Developer' });
      ({ context, page, errors } = await newPage(browser));
      page.setDefaultTimeout(10_000);
    });
    afterAll(async () => {
      await context?.close();
      await gh?.close();
      await weather?.close();
    });
    afterEach(() => {
      expect(unexpected(errors)).toEqual([]);
    });

    it('says so when the password is wrong, then signs in and shows who is signed in', async () => {
      await page.goto(`${gh.admin}/`);
      await page.getByRole('heading', { name: 'Sign in to the console' }).waitFor();
      await shot(page, 'console-sign-in');
      await signIn(page, gh.admin, 'ada@example.com', 'not-the-password-at-all');
      await page.getByRole('alert').filter({ hasText: 'The email or the password is wrong' }).waitFor();
      await field(page, 'Password').fill(PASSWORD);
      await page.getByRole('button', { name: 'Sign in', exact: true }).click();
      await page.getByRole('heading', { name: /^Good (morning|afternoon|evening), Ada Admin$/ }).waitFor();
      await page.getByRole('button', { name: 'Account menu, signed in as Ada Admin' }).click();
      await page.getByRole('menu').getByText('ada@example.com').waitFor();
      await page.keyboard.press('Escape');
    });

    it('creates an API with a target and a verify step from the generated form, checking its condition as it is typed', async () => {
      await nav(page, 'APIs').click();
      await page.getByText('No APIs yet — create one').waitFor();
      await page.getByRole('button', { name: 'Create API' }).first().click();
      const dialog = page.getByRole('dialog', { name: 'Create an API' });
      await field(dialog, 'Name').fill('weather');
      expect(await field(dialog, 'Base path').inputValue()).toBe('/weather');
      await field(dialog, 'Target URL').fill(weather.url);
      await dialog.getByRole('button', { name: 'Create API' }).click();
      await page.getByRole('heading', { name: 'weather', exact: true }).waitFor();
      await page.getByText('Forwards to').waitFor();

      await page.getByRole('button', { name: 'Add a step to the PreFlow, request' }).click();
      await page.getByRole('dialog', { name: 'Add a step to the PreFlow, request' }).getByRole('button', { name: /^Add oauth-v2:/ }).click();
      const drawer = page.getByRole('dialog', { name: 'oauth-v2' });
      await drawer.waitFor();
      await pick(page, 'Operation', 'VerifyAccessToken');
      await drawer.getByRole('tab', { name: 'Policy reference' }).click();
      await drawer.getByRole('heading', { name: 'Faults' }).waitFor();
      await drawer.getByRole('tab', { name: 'Configure' }).click();

      const condition = field(drawer, 'Run only when');
      await condition.fill('request.verb = ');
      const conditionError = drawer.getByText(/\(at character \d+\)/);
      await conditionError.waitFor();
      await condition.fill('request.verb != "OPTIONS"');
      await conditionError.waitFor({ state: 'hidden' });
      await drawer.getByRole('img', { name: 'The condition is valid' }).waitFor();
      await drawer.getByRole('button', { name: 'Done' }).click();
      await drawer.waitFor({ state: 'hidden' });

      const card = page.getByTestId('step-card').filter({ hasText: 'operation: VerifyAccessToken' });
      await card.getByText('request.verb != "OPTIONS"').waitFor();

      // A second step, moved up with the keyboard (focus stays on the moved step), then removed again.
      await page.getByRole('button', { name: 'Add a step to the PreFlow, request' }).click();
      await page.getByRole('button', { name: /^Add cors:/ }).click();
      await page.getByRole('dialog', { name: 'cors' }).getByRole('button', { name: 'Done' }).click();
      const steps = page.getByRole('list', { name: 'Steps of the PreFlow, request' }).getByTestId('step-card');
      await steps.nth(1).getByText('cors').first().waitFor();
      await page.getByRole('button', { name: 'Move step cors up' }).focus();
      await page.keyboard.press('Enter');
      await steps.nth(0).getByText('cors').first().waitFor();
      expect(await page.locator(':focus').getAttribute('aria-label')).toBe('Move step cors down');
      await page.keyboard.press('Enter');
      await steps.nth(1).getByText('cors').first().waitFor();
      await page.getByRole('button', { name: 'Remove step cors' }).click();
      await page.getByRole('button', { name: 'Remove step cors' }).waitFor({ state: 'detached' });
      expect(await steps.count()).toBe(1);
      await shot(page, 'console-flow-editor');
      await page.getByRole('button', { name: 'Save revision' }).click();
      await page.getByText('Saved revision 2').waitFor();
      expect((await ok(gh, 'GET', '/apis/weather')).preFlow.request[0]).toMatchObject({ policy: 'oauth-v2', condition: 'request.verb != "OPTIONS"', config: { operation: 'VerifyAccessToken' } });
    });

    it('shows what changed between revisions, deploys one, and explains a base path conflict', async () => {
      await page.getByRole('tab', { name: /Revisions & deployment/ }).click();
      const diff = page.getByRole('region', { name: 'Changes from revision 1 to revision 2' });
      await diff.locator('[data-diff="added"]', { hasText: 'VerifyAccessToken' }).first().waitFor();
      await page.getByRole('heading', { name: 'Not deployed' }).waitFor();
      await shot(page, 'console-revisions-diff');

      await page.getByRole('button', { name: 'Deploy revision 2' }).first().click();
      await page.getByRole('heading', { name: 'Revision 2 is deployed' }).waitFor();
      await page.getByText('Revision 2 of weather is deployed').waitFor();

      // A second API on the same base path: its deploy is refused, and the console says why.
      await ok(gh, 'POST', '/apis', { name: 'weather-v2', basePath: '/weather', target: { url: weather.url } });
      await page.goto(`${gh.admin}/apis/weather-v2/revisions`);
      await page.getByRole('button', { name: 'Deploy revision 1' }).first().click();
      await page.getByRole('main').getByRole('alert').filter({ hasText: 'Revision 1 could not be deployed' }).filter({ hasText: "Base path '/weather' is already served by API 'weather'" }).waitFor();
      await page.getByRole('heading', { name: 'Not deployed' }).waitFor();

      // The token API of the seed (built like the weather one, so through the management API here).
      await ok(gh, 'POST', '/apis', { name: 'token', basePath: '/oauth/token', preFlow: { request: [{ policy: 'oauth-v2', config: { operation: 'GenerateAccessToken', supportedGrantTypes: ['client_credentials'] } }] } });
      await ok(gh, 'POST', '/apis/token/revisions/1/deployment');
      await nav(page, 'APIs').click();
      await page.getByRole('table', { name: 'APIs' }).getByText('revision 2 deployed').waitFor();
      await page.getByRole('table', { name: 'APIs' }).getByText('not deployed').waitFor();
      await shot(page, 'console-apis');
    });

    it('creates and publishes a product with both APIs', async () => {
      await nav(page, 'Products').click();
      await page.getByText('No products yet — create one').waitFor();
      await page.getByRole('link', { name: 'Create product' }).first().click();
      await field(page, 'Name').fill('weather');
      await field(page, 'Display name').fill('Weather');
      await field(page, 'Description').fill('Current weather by city, with a client-credentials token.');
      await page.getByRole('combobox', { name: 'APIs in this product' }).click();
      await page.getByRole('option', { name: 'token (/oauth/token)' }).click();
      await page.getByRole('option', { name: 'weather (/weather)' }).click();
      await page.keyboard.press('Escape');
      await field(page, 'Scopes').fill('read');
      await page.keyboard.press('Enter');
      await switchOn(page, 'Published');
      await page.getByRole('button', { name: 'Create product' }).click();
      await page.getByText('Created Weather').waitFor();
      expect(await ok(gh, 'GET', '/products/weather')).toMatchObject({ apis: ['token', 'weather'], scopes: ['read'], published: true, approval: 'auto' });

      await ok(gh, 'POST', '/products', { name: 'premium', displayName: 'Premium', apis: ['weather'], approval: 'manual', published: true, quota: { limit: 1000, timeUnit: 'day' } });
      await nav(page, 'Products').click();
      await page.getByRole('article', { name: 'Product Weather' }).getByText('published', { exact: true }).waitFor();
      await page.getByRole('article', { name: 'Product Premium' }).getByText('manual approval').waitFor();
      await shot(page, 'console-products');
    });

    it("refuses to save a product someone else changed meanwhile, and says so (If-Match)", async () => {
      await page.goto(`${gh.admin}/products/weather`);
      const description = field(page, 'Description');
      await description.waitFor();
      await ok(gh, 'PUT', '/products/weather', { name: 'weather', displayName: 'Weather', description: 'Changed by a colleague.', apis: ['token', 'weather'], scopes: ['read'], published: true });
      await description.fill('My edit.');
      await page.getByRole('button', { name: 'Save product' }).click();
      await page.getByRole('alert').filter({ hasText: 'The product was not saved' }).filter({ hasText: 'was changed by someone else since you read it' }).waitFor();
      expect((await ok(gh, 'GET', '/products/weather')).description).toBe('Changed by a colleague.');
      await nav(page, 'Products').click();
    });

    it("looks after a developer's apps: import keys, approve a pending product, revoke and approve, show a new secret once", async () => {
      await nav(page, 'Developers & apps').click();
      await page.getByRole('link', { name: 'Dana Developer' }).click();
      await page.getByText('No apps yet').waitFor();

      await page.getByRole('button', { name: 'Create app' }).first().click();
      let dialog = page.getByRole('dialog', { name: 'Create an app for dana@example.com' });
      await field(dialog, 'App name').fill('weather-app');
      await dialog.getByRole('combobox', { name: 'Products' }).click();
      await page.getByRole('option', { name: 'Weather (weather)' }).click();
      await page.getByRole('option', { name: 'Premium (premium)' }).click();
      await page.keyboard.press('Escape');
      await switchOn(page, 'Bring an existing client id and secret');
      await field(dialog, 'Client id').fill(CLIENT_ID);
      await field(dialog, 'Client secret').fill(CLIENT_SECRET);
      await dialog.getByRole('button', { name: 'Create app' }).click();
      dialog = page.getByRole('dialog', { name: 'weather-app is ready' });
      await dialog.getByText(CLIENT_ID).waitFor();
      await dialog.getByText('The secret is the one you imported').waitFor();
      await dialog.getByRole('button', { name: 'I have copied it' }).click();

      // premium asks for manual approval: pending until the admin approves it.
      const credential = page.getByTestId('credential').filter({ hasText: CLIENT_ID });
      await credential.getByText('pending').waitFor();
      const approve = page.getByRole('button', { name: `Approve product premium for ${CLIENT_ID}` });
      await approve.click();
      await approve.waitFor({ state: 'detached' });
      expect(await credential.getByText('pending').count()).toBe(0);

      // A generated credential: the secret is shown once, with a copy button.
      await page.getByRole('button', { name: 'Create app' }).first().click();
      dialog = page.getByRole('dialog', { name: 'Create an app for dana@example.com' });
      await field(dialog, 'App name').fill('mobile-app');
      await dialog.getByRole('button', { name: 'Create app' }).click();
      dialog = page.getByRole('dialog', { name: 'mobile-app is ready' });
      expect((await dialog.getByTestId('secret-value').innerText()).trim()).toMatch(/^\S{32,}$/);
      await dialog.getByRole('button', { name: 'Copy client secret' }).waitFor();
      await dialog.getByRole('button', { name: 'I have copied it' }).click();

      await page.getByRole('button', { name: 'Revoke app mobile-app' }).click();
      await page.getByRole('button', { name: 'Approve app mobile-app' }).click();
      await page.getByRole('button', { name: 'Revoke app mobile-app' }).waitFor();

      await page.getByRole('button', { name: 'Deactivate developer' }).click();
      await page.getByText('This developer is inactive').waitFor();
      await page.getByRole('button', { name: 'Activate developer' }).click();
      await page.getByRole('button', { name: 'Deactivate developer' }).waitFor();
      await shot(page, 'console-developers');
    });

    it('shows the traffic the gateway served on the overview', async () => {
      // Calls spread over the last hour (the gateway's clock is the test's), so the charts have a shape.
      const minutes = (n: number) => gh.clock.advance(n * 60_000);
      const basic = `Basic ${Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString('base64')}`;
      const tokenRes = await fetch(`${gh.gateway}/oauth/token`, { method: 'POST', headers: { authorization: basic, 'content-type': 'application/x-www-form-urlencoded' }, body: 'grant_type=client_credentials' });
      expect(tokenRes.status).toBe(200);
      const { access_token: token } = (await tokenRes.json()) as { access_token: string };
      for (let i = 0; i < 3; i++) {
        minutes(9);
        const res = await fetch(`${gh.gateway}/weather/data/2.5/weather?q=Berlin`, { headers: { authorization: `Bearer ${token}` } });
        expect(res.status).toBe(200);
        await res.arrayBuffer();
      }
      minutes(12);
      const refused = await fetch(`${gh.gateway}/weather/data/2.5/weather?q=Berlin`);
      expect(refused.status).toBe(401);
      await refused.arrayBuffer();
      // Records are written off the hot path; let the event loop turn until all five are in.
      for (let i = 0; i < 1000 && gh.analytics.records.length < 5; i++) await new Promise((resolve) => setImmediate(resolve));
      expect(gh.analytics.records.length).toBe(5);
      gh.clock.advance(1000);

      await nav(page, 'Overview').click();
      await page.getByTestId('stat-calls').filter({ hasText: '5' }).waitFor();
      await page.getByTestId('stat-errors').filter({ hasText: '1' }).waitFor();
      await page.getByRole('figure', { name: 'Calls and errors' }).locator('.recharts-surface').first().waitFor();
      await page.getByRole('figure', { name: 'Latency' }).locator('.recharts-surface').first().waitFor();
      await page.getByRole('figure', { name: 'Calls by API' }).locator('.recharts-surface').first().waitFor();
      const recent = page.getByRole('table', { name: 'Recent calls' });
      await recent.getByText('oauth.missing_token').waitFor();
      // The token call and the three weather calls came from the app; the refused call from nobody known.
      expect(await recent.getByText('weather-app').count()).toBe(4);
      await page.getByTestId('count-apis').filter({ hasText: /^3$/ }).waitFor();
      await shot(page, 'console-overview');
    });

    it('approves a sign-up that waits for approval, and creates a user with a password', async () => {
      const signup = await fetch(`${gh.hub}/api/v1/signup`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'sam@example.com', password: PASSWORD, displayName: 'Sam Signup' }) });
      expect(signup.status).toBe(201);

      await nav(page, 'Users & roles').click();
      await page.getByRole('heading', { name: 'Waiting for approval' }).waitFor();
      await page.getByRole('table', { name: 'Users waiting for approval' }).getByText('sam@example.com').waitFor();
      await page.getByRole('button', { name: 'Approve sam@example.com as developer' }).click();
      await page.getByText('Sam Signup can use the developer hub').waitFor();
      await page.getByRole('heading', { name: 'Waiting for approval' }).waitFor({ state: 'hidden' });
      expect((await ok(gh, 'GET', '/users/sam@example.com')).roles).toEqual(['developer']);

      await page.getByRole('button', { name: 'Create user' }).click();
      const dialog = page.getByRole('dialog', { name: 'Create a user' });
      await field(dialog, 'Email').fill('vic@example.com');
      await field(dialog, 'Display name').fill('Vic Viewer');
      await field(dialog, 'Password').fill(PASSWORD);
      await dialog.getByRole('button', { name: 'Create user' }).click();
      await page.getByRole('table', { name: 'Users' }).getByText('vic@example.com').waitFor();
      expect(await ok(gh, 'GET', '/users/vic@example.com')).toMatchObject({ roles: ['viewer'], hasPassword: true });
      await shot(page, 'console-users');
    });

    it('creates a personal access token, shows it once, and deletes it', async () => {
      await nav(page, 'Access tokens').click();
      await page.getByText('No tokens yet — create one').waitFor();
      await page.getByRole('button', { name: 'Create token' }).first().click();
      await field(page, 'Token name').fill('ci');
      await page.getByRole('dialog', { name: 'Create an access token' }).getByRole('button', { name: 'Create token' }).click();
      const shown = page.getByRole('dialog', { name: 'Token “ci” created' });
      const token = (await shown.getByTestId('secret-value').innerText()).trim();
      const me = await fetch(`${gh.admin}/api/v1/me`, { headers: { authorization: `Bearer ${token}` } });
      expect(((await me.json()) as { email: string }).email).toBe('ada@example.com');
      await shown.getByRole('button', { name: 'I have copied it' }).click();
      await page.getByRole('table', { name: 'Access tokens' }).getByText('ci', { exact: true }).waitFor();
      await page.getByRole('button', { name: 'Delete token ci' }).click();
      await page.getByRole('dialog', { name: 'Delete the token “ci”?' }).getByRole('button', { name: 'Delete token' }).click();
      await page.getByText('No tokens yet — create one').waitFor();
    });

    it('keeps a key value map and its entries', async () => {
      await nav(page, 'Key value maps').click();
      await page.getByText('No key value maps yet').waitFor();
      await page.getByRole('button', { name: 'Create map' }).first().click();
      const dialog = page.getByRole('dialog', { name: 'Create a key value map' });
      await field(dialog, 'Name').fill('settings');
      await dialog.getByRole('button', { name: 'Create map' }).click();
      await page.getByRole('heading', { name: 'settings' }).waitFor();
      const form = page.getByRole('form', { name: 'Set an entry of settings' });
      await field(form, 'Key').fill('greeting');
      await field(form, 'Value').fill('hello');
      await form.getByRole('button', { name: 'Set entry' }).click();
      await page.getByRole('table', { name: 'Entries of settings' }).getByText('hello').waitFor();
      expect(await ok(gh, 'GET', '/keyvaluemaps/settings/entries/greeting')).toMatchObject({ key: 'greeting', value: 'hello' });
    });

    it('filters the audit log', async () => {
      await nav(page, 'Audit log').click();
      const table = page.getByRole('table', { name: 'Audit events' });
      await table.getByText('api.create').first().waitFor();
      await field(page, 'Action').fill('api.deploy');
      await page.getByRole('button', { name: 'Apply filters' }).click();
      await page.getByText('2 events matching the filters').waitFor();
      expect(await table.getByText('api.create').count()).toBe(0);
      expect(await table.getByText('api.deploy').count()).toBe(2);
      await shot(page, 'console-audit');
    });

    it('undeploys an API after asking, and says so', async () => {
      await nav(page, 'APIs').click();
      await page.getByRole('link', { name: 'weather', exact: true }).click();
      await page.getByRole('tab', { name: /Revisions & deployment/ }).click();
      await page.getByRole('heading', { name: 'Revision 2 is deployed' }).waitFor();
      await page.getByRole('button', { name: 'Undeploy' }).click();
      await page.getByRole('dialog', { name: 'Undeploy weather?' }).getByRole('button', { name: 'Undeploy' }).click();
      await page.getByText('weather is undeployed').waitFor();
      await page.getByRole('heading', { name: 'Not deployed' }).waitFor();
      expect((await fetch(`${gh.gateway}/weather/data/2.5/weather`)).status).toBe(404);
    });
  });

  describe('roles and screens', () => {
    let gh: Gatehouse;
    const contexts: BrowserContext[] = [];
    let errors: string[][] = [];

    async function open(viewport?: { width: number; height: number }): Promise<Page> {
      const opened = await newPage(browser, viewport ? { viewport } : {});
      contexts.push(opened.context);
      errors.push(opened.errors);
      opened.page.setDefaultTimeout(10_000);
      return opened.page;
    }

    beforeAll(async () => {
      gh = await startGatehouse();
      await ok(gh, 'POST', '/users', { email: 'ada@example.com', displayName: 'Ada Admin', roles: ['admin'], password: PASSWORD });
      await ok(gh, 'POST', '/users', { email: 'vera@example.com', displayName: 'Vera Viewer', roles: ['viewer'], password: PASSWORD });
      await ok(gh, 'POST', '/users', { email: 'dev@example.com', displayName: 'Devi Developer', roles: ['developer'], password: PASSWORD });
      await ok(gh, 'POST', '/apis', { name: 'token', basePath: '/oauth/token', preFlow: { request: [{ policy: 'oauth-v2', config: { operation: 'GenerateAccessToken' } }] } });
      await ok(gh, 'POST', '/products', { name: 'weather', apis: ['token'], published: true });
    });
    afterAll(async () => {
      for (const context of contexts) await context.close();
      await gh?.close();
    });
    afterEach(() => {
      expect(errors.flatMap(unexpected)).toEqual([]);
      errors = [];
    });

    it('refuses an account that has only the developer role, with the reason', async () => {
      const page = await open();
      await signIn(page, gh.admin, 'dev@example.com');
      await page.getByRole('alert').filter({ hasText: 'Developers sign in on the developer hub' }).waitFor();
      expect(await page.getByRole('navigation', { name: 'Main' }).count()).toBe(0);
    });

    it('shows a viewer read-only screens without create, edit or deploy buttons, and signs them out', async () => {
      const page = await open();
      await signIn(page, gh.admin, 'vera@example.com');
      await page.getByRole('heading', { name: /Vera Viewer$/ }).waitFor();
      expect(await nav(page, 'Users & roles').count()).toBe(0);
      await nav(page, 'Audit log').waitFor();

      await nav(page, 'APIs').click();
      await page.getByRole('link', { name: 'token', exact: true }).click();
      await page.getByText('You can look at this API but not change it').waitFor();
      await page.getByRole('button', { name: 'View step oauth-v2' }).waitFor();
      for (const name of ['Save revision', 'Add step', 'Add conditional flow', 'Remove step oauth-v2', 'Configure step oauth-v2']) expect(await page.getByRole('button', { name }).count()).toBe(0);
      await page.getByRole('tab', { name: /Revisions & deployment/ }).click();
      await page.getByRole('heading', { name: 'Not deployed' }).waitFor();
      await page.getByRole('table', { name: 'Revisions of token' }).getByText('latest').waitFor();
      expect(await page.getByRole('button', { name: /^Deploy/ }).count()).toBe(0);

      await nav(page, 'APIs').click();
      await page.getByRole('table', { name: 'APIs' }).waitFor();
      expect(await page.getByRole('button', { name: 'Create API' }).count()).toBe(0);
      await nav(page, 'Products').click();
      await page.getByRole('link', { name: 'weather', exact: true }).waitFor();
      expect(await page.getByRole('link', { name: 'Create product' }).count()).toBe(0);

      await page.getByRole('button', { name: 'Account menu, signed in as Vera Viewer' }).click();
      await page.getByRole('menuitem', { name: 'Sign out' }).click();
      await page.getByText('You have signed out.').waitFor();
      expect(((await (await page.request.get(`${gh.admin}/api/v1/session`)).json()) as { user: unknown }).user).toBeNull();
    });

    it('signs the first admin in with their access token (they have no password)', async () => {
      const page = await open();
      await page.goto(`${gh.admin}/`);
      await page.getByRole('button', { name: 'Sign in with an access token instead' }).click();
      await field(page, 'Personal access token').fill(ADMIN_TOKEN);
      await page.getByRole('button', { name: 'Sign in', exact: true }).click();
      await page.getByRole('heading', { name: /^Good (morning|afternoon|evening), / }).waitFor();
      await nav(page, 'Users & roles').waitFor();
    });

    it('folds the navigation behind a burger at phone width', async () => {
      const page = await open(PHONE);
      await signIn(page, gh.admin, 'ada@example.com');
      await page.getByRole('heading', { name: /Ada Admin$/ }).waitFor();
      const burger = page.getByRole('button', { name: 'Open navigation' });
      await burger.waitFor();
      const link = nav(page, 'Products');
      const offScreen = async () => ((await link.boundingBox())?.x ?? -1) < 0;
      expect(await offScreen()).toBe(true);
      await burger.click();
      await page.getByRole('button', { name: 'Close navigation' }).waitFor();
      await expect.poll(offScreen, { timeout: 5000 }).toBe(false);
      // The open navigation is fixed to the viewport: a full-page picture would cut it off.
      await page.screenshot({ path: join(SCREENSHOT_DIR, 'console-phone.png'), animations: 'disabled' });
      await link.click();
      await page.getByRole('heading', { name: 'Products' }).waitFor();
      await expect.poll(offScreen, { timeout: 5000 }).toBe(true);
    });
  });
});
