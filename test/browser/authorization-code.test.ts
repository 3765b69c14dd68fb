// The authorization code grant with PKCE in a real browser: an app (a public client, as a single-page app would be)
// sends the user to the gateway's authorization endpoint; the developer hub's pages sign the user in and ask for
// consent; the browser lands back on the app's callback with a code, which oauth4webapi exchanges for tokens.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import * as oauth from 'oauth4webapi';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startWeatherService } from '../../examples/seed-walkthrough/weather-service.js';
import { browserAvailable, launchBrowser, newPage, screenshot } from '../helpers/browser.ts';
import { applyFile, startGatehouse, type Gatehouse } from '../helpers/gatehouse.ts';
import { startUpstream, type Upstream } from '../helpers/gateway-upstreams.ts';
import { field } from '../helpers/ui.ts';

const USER = { email: 'eve@example.com', password: 'correct horse battery staple' };

const FILE = `
apis:
  - name: authorize
    basePath: /oauth/authorize
    preFlow:
      request:
        - policy: oauth-v2
          config: { operation: GenerateAuthorizationCode }
  - name: token
    basePath: /oauth/token
    preFlow:
      request:
        - policy: oauth-v2
          config: { operation: GenerateAccessToken, supportedGrantTypes: [authorization_code, refresh_token], tokenFormat: jwt }
  - name: weather
    basePath: /weather
    target: { url: "\${WEATHER_URL}" }
    preFlow:
      request:
        - policy: oauth-v2
          config: { operation: VerifyAccessToken, scope: read }
products:
  - name: weather
    displayName: Weather forecasts
    apis: [authorize, token, weather]
    scopes: [read]
developers:
  - email: dana@example.com
    firstName: Dana
    lastName: Developer
    apps:
      - name: weather-web
        displayName: Dana's Weather Web
        products: [weather]
        tokenEndpointAuthMethod: none
        callbackUrls: ["\${CALLBACK}"]
        credentials:
          - { clientId: weather-web-client, clientSecret: weather-web-unused-secret-01 }
`;

describe.skipIf(!browserAvailable())('authorization code with PKCE through the hub pages', () => {
  let browser: Browser;
  let gh: Gatehouse;
  let weather: { url: string; close(): Promise<void> };
  let app: Upstream;
  let callback: string;
  let as: oauth.AuthorizationServer;
  const client: oauth.Client = { client_id: 'weather-web-client' };
  const options = { [oauth.allowInsecureRequests]: true } as const;

  beforeAll(async () => {
    weather = await startWeatherService(0, '127.0.0.1');
    // The app: its callback page is all a browser sees of it here.
    app = await startUpstream((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end('<!doctype html><title>Weather Web</title><h1>Back in Weather Web</h1>');
    });
    callback = `${app.url}/callback`;
    gh = await startGatehouse();
    await applyFile(gh, FILE, { WEATHER_URL: weather.url, CALLBACK: callback });
    expect((await gh.manage('POST', '/users', { ...USER, roles: [] })).status).toBe(201);
    const issuer = new URL(gh.gateway);
    as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, { algorithm: 'oauth2', ...options }));
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await gh?.close();
    await Promise.all([weather?.close(), app?.close()]);
  });

  let context: BrowserContext;
  let page: Page;
  let errors: string[];
  beforeAll(async () => {
    ({ context, page, errors } = await newPage(browser));
    page.setDefaultTimeout(15_000);
  });
  afterAll(async () => {
    await context?.close();
  });
  afterEach(() => {
    // The hub asks who is signed in before anyone is: that 401 is expected.
    expect(errors.filter((e) => !/status of 401/.test(e))).toEqual([]);
  });

  async function start(): Promise<{ verifier: string; state: string }> {
    const verifier = oauth.generateRandomCodeVerifier();
    const state = oauth.generateRandomState();
    const url = new URL(as.authorization_endpoint as string);
    url.search = new URLSearchParams({ response_type: 'code', client_id: client.client_id, redirect_uri: callback, scope: 'read', state, code_challenge: await oauth.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256' }).toString();
    await page.goto(url.href);
    return { verifier, state };
  }

  it('signs the user in on the hub, asks for consent, and brings a code back to the app that exchanges it', async () => {
    const { verifier, state } = await start();
    // Not signed in: the hub's sign-in page, which then returns to the consent page.
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await field(page, 'Email').fill(USER.email);
    await field(page, 'Password').fill(USER.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: "Dana's Weather Web wants to use your account" }).waitFor();
    await page.getByText('An app by Dana Developer').waitFor();
    await page.getByText('Weather forecasts').waitFor();
    await page.getByText(new URL(callback).origin).waitFor();
    await screenshot(page, 'hub-consent');
    await page.getByRole('button', { name: 'Allow' }).click();
    await page.getByRole('heading', { name: 'Back in Weather Web' }).waitFor();

    const landed = new URL(page.url());
    expect(`${landed.origin}${landed.pathname}`).toBe(callback);
    const params = oauth.validateAuthResponse(as, client, landed, state);
    const tokens = await oauth.processAuthorizationCodeResponse(as, client, await oauth.authorizationCodeGrantRequest(as, client, oauth.None(), params, callback, verifier, options));
    expect(tokens.scope).toBe('read');
    const call = await fetch(`${gh.gateway}/weather/data/2.5/weather?q=Berlin`, { headers: { authorization: `Bearer ${tokens.access_token}` } });
    expect(call.status).toBe(200);
    expect(await call.json()).toMatchObject({ name: 'Berlin' });
  });

  it('goes straight to consent when signed in, and brings access_denied back when the user denies', async () => {
    const { state } = await start();
    await page.getByRole('heading', { name: "Dana's Weather Web wants to use your account" }).waitFor();
    await page.getByRole('button', { name: 'Deny' }).click();
    await page.getByRole('heading', { name: 'Back in Weather Web' }).waitFor();
    const landed = new URL(page.url());
    expect(landed.searchParams.get('error')).toBe('access_denied');
    expect(landed.searchParams.get('state')).toBe(state);
    expect(() => oauth.validateAuthResponse(as, client, landed, state)).toThrow();
  });

  it('tells the user when a sign-in link was tampered with', async () => {
    await page.goto(`${gh.hub}/authorize?request=v1.not-a-real.request`);
    await page.getByText('This sign-in link cannot be used').waitFor();
    await page.getByText('Go back to the app and start again').waitFor();
    errors.splice(0, errors.length, ...errors.filter((e) => !/status of 400/.test(e)));
  });
});
