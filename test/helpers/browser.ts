// Real-browser tests: Debian's Chromium driven by playwright-core (never a browser playwright downloads itself).
// Missing Chromium skips loudly on a laptop and fails in CI, like the other services.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { REPO_ROOT } from './cli-process.ts';
import { inCI } from './services.ts';

/** Where Chromium is: GATEHOUSE_CHROMIUM, or Debian's package (apt-get install chromium). */
export const CHROMIUM_PATH = process.env.GATEHOUSE_CHROMIUM ?? '/usr/bin/chromium';

/** Screenshots the browser tests take for reviewers; docs/ shows them. */
export const SCREENSHOT_DIR = join(REPO_ROOT, 'docs', 'screenshots');

let warned = false;

/** True when the browser suites may run; see serviceAvailable() for the CI / laptop rule. */
export function browserAvailable(): boolean {
  if (existsSync(CHROMIUM_PATH) && existsSync(join(REPO_ROOT, 'dist', 'web', 'console', 'index.html')) && existsSync(join(REPO_ROOT, 'dist', 'web', 'hub', 'index.html'))) return true;
  const why = existsSync(CHROMIUM_PATH)
    ? 'the web apps are not built: run `npm run build:web` (npm test does)'
    : `no Chromium at ${CHROMIUM_PATH}: apt-get install chromium, or set GATEHOUSE_CHROMIUM`;
  if (inCI()) throw new Error(`Browser tests are required in CI, but ${why}.`);
  if (!warned) {
    warned = true;
    process.stderr.write(`SKIPPED-SERVICE: browser tests skipped: ${why}\n`);
  }
  return false;
}

/** Headless Chromium with the flags this machine needs: no background networking (the network is closed). */
export async function launchBrowser(): Promise<Browser> {
  const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      ...(asRoot ? ['--no-sandbox'] : []),
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export const LAPTOP = { width: 1280, height: 800 };
export const PHONE = { width: 390, height: 844 };

/** A fresh context (own cookies) at laptop width; failing console errors are collected for assertions. */
export async function newPage(browser: Browser, options: { viewport?: { width: number; height: number } } = {}): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const context = await browser.newContext({ viewport: options.viewport ?? LAPTOP, acceptDownloads: true, reducedMotion: 'reduce' });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()}`);
  });
  return { context, page, errors };
}

/** Writes docs/screenshots/<name>.png (full page). */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`), fullPage: true, animations: 'disabled' });
}
