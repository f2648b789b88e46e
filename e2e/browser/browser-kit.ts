/**
 * What a browser test of the live marketplace needs: Debian's Chromium through playwright-core,
 * contexts whose console errors fail the test, numbered screenshots, bounded waiting for what
 * arrives by event, and the user steps (sign up, list, purchase, pay) as a person does them.
 */
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
export const SCREENSHOTS = path.resolve(__dirname, '../../test-output/screenshots');
/** Bound for things that arrive by event (delivery, live updates, handovers). */
export const EVENTUAL_MS = 30_000;
export const PASSWORD = 'e2e-browser-password';

/** Debian's Chromium, headless, without the background connections this closed network refuses. */
export function launchChromium(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: install Debian's Chromium with "apt-get update && apt-get install -y chromium".`);
  }
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

export class BrowserKit {
  readonly consoleErrors: string[] = [];
  /** HTTP statuses the current test provokes on purpose (their browser log lines are not errors). */
  expectedStatuses: number[] = [];
  private shotCount = 0;

  constructor(
    private readonly browser: Browser,
    readonly baseUrl: string,
    /** File name prefix of this test file's screenshots (they share one folder). */
    private readonly shotPrefix: string,
  ) {
    // This file's screenshots of an earlier run would mix with this run's numbering.
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    for (const file of fs.readdirSync(SCREENSHOTS)) {
      if (file.startsWith(`${shotPrefix}-`) && file.endsWith('.png')) fs.rmSync(path.join(SCREENSHOTS, file));
    }
  }

  private isExpectedNetworkLog(text: string): boolean {
    const match = /Failed to load resource: the server responded with a status of (\d{3})/.exec(text);
    return match !== null && this.expectedStatuses.includes(Number(match[1]));
  }

  async context(name: string): Promise<BrowserContext> {
    const context = await this.browser.newContext({ baseURL: this.baseUrl, viewport: { width: 1280, height: 900 } });
    context.on('console', (msg) => {
      if (msg.type() === 'error' && !this.isExpectedNetworkLog(msg.text())) {
        this.consoleErrors.push(`[${name}] ${msg.page()?.url() ?? ''}: ${msg.text()}`);
      }
    });
    context.on('weberror', (err) => this.consoleErrors.push(`[${name}] uncaught: ${err.error().message}`));
    return context;
  }

  async screenshot(page: Page, name: string): Promise<void> {
    this.shotCount += 1;
    const file = path.join(SCREENSHOTS, `${this.shotPrefix}-${String(this.shotCount).padStart(2, '0')}-${name}.png`);
    await page.screenshot({ path: file, fullPage: true });
  }
}

/** Retries `check` (which throws until satisfied) until it passes or `timeoutMs` runs out. */
export async function eventually(check: () => Promise<void>, timeoutMs = EVENTUAL_MS): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
}

export const mainNav = (page: Page) => page.getByRole('navigation', { name: 'Main' });

export async function signUp(page: Page, email: string): Promise<void> {
  await page.goto('/auth/signup');
  await page.getByLabel('Email', { exact: true }).fill(email);
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign up', exact: true }).click();
  await page.waitForURL((url) => url.pathname === '/');
  await mainNav(page).getByText(email).waitFor();
}

/** Lists a ticket through /tickets/new and returns its id (from the page it lands on). */
export async function listTicket(page: Page, title: string, price: string): Promise<string> {
  await page.goto('/tickets/new');
  await page.getByLabel('Title', { exact: true }).fill(title);
  await page.getByLabel('Price (USD)', { exact: true }).fill(price);
  await page.getByRole('button', { name: 'List ticket' }).click();
  await page.waitForURL(/\/tickets\/(?!new$)[^/?#]+$/);
  await page.getByRole('heading', { level: 1, name: title }).waitFor();
  return new URL(page.url()).pathname.split('/').pop() ?? '';
}

/** Presses Purchase on the ticket page already open, waits for the order page; returns the order id. */
export async function purchaseHere(page: Page, title: string): Promise<string> {
  await page.getByRole('button', { name: 'Purchase' }).click();
  await page.waitForURL(/\/orders\/[^/?#]+$/);
  await page.getByRole('heading', { level: 1, name: `Order for ${title}` }).waitFor();
  return new URL(page.url()).pathname.split('/').pop() ?? '';
}

/** Pays the open order page with the offline test card that succeeds, and waits until the order is complete. */
export async function payWithVisa(page: Page): Promise<void> {
  await page.getByText('Test mode', { exact: true }).waitFor();
  await page.getByRole('radio', { name: 'Visa — succeeds' }).check();
  await page.getByRole('button', { name: /^Pay / }).click();
  await page.getByText('Thank you! The ticket is yours.').waitFor({ timeout: EVENTUAL_MS });
}

/**
 * Marks the page's document; `stillSameDocument` is true only while no navigation or reload
 * replaced it (client-side re-renders keep it): proof that an update arrived live.
 */
export async function markDocument(page: Page): Promise<void> {
  await page.evaluate(() => {
    (globalThis as { __sameDocument?: boolean }).__sameDocument = true;
  });
}

export async function stillSameDocument(page: Page): Promise<boolean> {
  return page.evaluate(() => (globalThis as { __sameDocument?: boolean }).__sameDocument === true);
}
