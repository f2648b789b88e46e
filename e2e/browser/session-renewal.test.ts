/**
 * Silent session renewal in a real headless Chromium against the whole stack, started with a
 * very short session token (SESSION_LIFETIME_SECONDS=5) so that tokens expire during the test:
 * the client renews before expiry while a page is open, renews once when a page was rendered
 * after its token expired, and renews-and-retries an API call answered 401. No timed
 * assertion: each check waits (bounded) for an observable outcome.
 */
import { signTestSessionToken } from '@ticketing/dev-servers';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium } from './browser-kit';
import { startE2EStack, type E2EStack } from '../support/stack';

const SESSION_LIFETIME_SECONDS = 5;
const EVENTUAL_MS = 60_000;
const PASSWORD = 'e2e-renewal-password';
const RUN = Date.now().toString(36);

let stack: E2EStack;
let base: string;
let browser: Browser;
const unexpected: string[] = [];

async function eventually<T>(check: () => Promise<T | undefined>, what: string, timeoutMs = EVENTUAL_MS): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs / 1000} s: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** A browser context whose console errors fail the test, except the 401s renewal is there to absorb. */
async function newContext(name: string): Promise<BrowserContext> {
  const context = await browser.newContext({ baseURL: base });
  context.on('console', (msg) => {
    if (msg.type() === 'error' && !/status of 401/.test(msg.text())) unexpected.push(`[${name}] ${msg.text()}`);
  });
  context.on('weberror', (err) => unexpected.push(`[${name}] uncaught: ${err.error().message}`));
  return context;
}

const nav = (page: Page) => page.getByRole('navigation', { name: 'Main' });

async function signUp(page: Page, email: string): Promise<{ id: string; email: string }> {
  await page.goto('/auth/signup');
  await page.getByLabel('Email', { exact: true }).fill(email);
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign up', exact: true }).click();
  await page.waitForURL(`${base}/`);
  await nav(page).getByText(email).waitFor();
  const me = (await (await page.request.get('/api/users/currentuser')).json()) as { currentUser: { id: string; email: string } };
  return me.currentUser;
}

async function cookieValue(context: BrowserContext, name: string): Promise<string | undefined> {
  return (await context.cookies(`${base}${name === 'refresh' ? '/api/users/refresh' : '/'}`)).find((c) => c.name === name)?.value;
}

/** Replaces the browser's session cookie with an expired (genuinely signed) token for `user`. */
async function expireSession(context: BrowserContext, user: { id: string; email: string }): Promise<void> {
  const now = Math.floor(Date.now() / 1000);
  const token = signTestSessionToken({ id: user.id, email: user.email, iat: now - 600, exp: now - 300 }, { pair: stack.sessionKeys });
  const value = Buffer.from(JSON.stringify({ jwt: token })).toString('base64');
  await context.addCookies([{ name: 'session', value, url: `${base}/`, httpOnly: true, sameSite: 'Lax' }]);
}

/** What the API says about a Cookie header. */
async function currentUserOf(cookie: string): Promise<{ id: string } | null> {
  const res = await fetch(`${base}/api/users/currentuser`, { headers: { cookie } });
  return ((await res.json()) as { currentUser: { id: string } | null }).currentUser;
}

beforeAll(async () => {
  stack = await startE2EStack({ client: true, env: { SESSION_LIFETIME_SECONDS: String(SESSION_LIFETIME_SECONDS) } });
  base = stack.gatewayUrl.replace(/\/+$/, '');
  browser = await launchChromium();
}, 600_000); // may first build the services and the client

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
}, 60_000);

afterEach(() => {
  expect(unexpected.splice(0)).toEqual([]);
});

describe('silent session renewal (5-second session tokens)', () => {
  it('an open page renews its session before it expires: tokens change, the first one expires, the user stays signed in', async () => {
    const context = await newContext('open page');
    const page = await context.newPage();
    const user = await signUp(page, `open-${RUN}@example.com`);
    const first = (await cookieValue(context, 'session'))!;
    const firstRefresh = (await cookieValue(context, 'refresh'))!;
    expect(await currentUserOf(`session=${first}`)).toMatchObject({ id: user.id });

    // Wait (bounded) until the first token is no longer accepted: it has expired…
    await eventually(async () => ((await currentUserOf(`session=${first}`)) === null ? true : undefined), 'the first session token expires');
    // …and the page has renewed: a different session token and refresh token, which work.
    await eventually(async () => {
      const now = await cookieValue(context, 'session');
      return now && now !== first ? now : undefined;
    }, 'the page renews its session');
    expect(await cookieValue(context, 'refresh')).not.toBe(firstRefresh);
    const renewedUser = await eventually(async () => (await currentUserOf(`session=${(await cookieValue(context, 'session'))!}`)) ?? undefined, 'the current token is valid');
    expect(renewedUser).toMatchObject({ id: user.id });
    await page.goto('/orders');
    await nav(page).getByText(user.email).waitFor();
    await context.close();
  });

  it('a page rendered after its token expired renews once and shows the user signed in', async () => {
    const context = await newContext('returning');
    const page = await context.newPage();
    const user = await signUp(page, `returning-${RUN}@example.com`);
    await page.close(); // no page open: nothing renews
    await expireSession(context, user);
    const again = await context.newPage();
    await again.goto('/orders');
    // Rendered signed out on the server, then renewed in the browser and re-rendered.
    await nav(again).getByText(user.email).waitFor({ timeout: EVENTUAL_MS });
    await again.getByRole('heading', { level: 1 }).first().waitFor();
    await context.close();
  });

  it('an API call answered 401 (expired token) renews the session and is sent again', async () => {
    const context = await newContext('401');
    const page = await context.newPage();
    const user = await signUp(page, `retry-${RUN}@example.com`);
    const ticketStatuses: number[] = [];
    page.on('response', (res) => {
      if (new URL(res.url()).pathname === '/api/tickets' && res.request().method() === 'POST') ticketStatuses.push(res.status());
    });
    // The page's own timer may renew between our expiring the cookie and the click; then the
    // request simply succeeds. Try until the request really met an expired token.
    for (let attempt = 1; attempt <= 5 && !ticketStatuses.includes(401); attempt++) {
      ticketStatuses.length = 0;
      await page.goto('/tickets/new');
      await page.getByLabel('Title', { exact: true }).fill(`Renewal ${attempt}`);
      await page.getByLabel('Price (USD)', { exact: true }).fill('12');
      await expireSession(context, user);
      await page.getByRole('button', { name: 'List ticket' }).click();
      await page.waitForURL(/\/tickets\/(?!new$)[^/?#]+$/);
      await page.getByRole('heading', { level: 1, name: `Renewal ${attempt}` }).waitFor();
    }
    expect(ticketStatuses).toEqual([401, 201]);
    await context.close();
  });
});
