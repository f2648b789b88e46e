/**
 * The Next.js client in a real headless Chromium against the whole running stack (gateway,
 * services, JetStream, MongoDB, Redis): a seller lists tickets, a buyer buys, pays, is declined,
 * cancels an order (and is told the card was not charged), and lets an order expire. Black-box:
 * only what a user sees in the browser.
 *
 * Where it runs:
 *   E2E_BASE_URL set   an already running stack (gateway URL serving the site and /api). It
 *                      must have been started with a SHORT order window, e.g.
 *                      EXPIRATION_WINDOW_SECONDS=30 (between ~20 s, so the payment scenarios
 *                      finish in time, and 120 s, so the expiry scenario does not wait forever).
 *   E2E_BASE_URL unset the test starts the whole stack itself (with the client and
 *                      EXPIRATION_WINDOW_SECONDS=30), like the other e2e files.
 * Screenshots of every page go to test-output/screenshots/. Any console error fails the test
 * it happens in; the browser's own "Failed to load resource: … <status>" lines are accepted
 * only for statuses the scenario provokes on purpose (400 invalid sign-up, 402 decline, 404
 * while a just-created ticket/order is still travelling to the next service by event).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { EVENTUAL_MS, launchChromium, SCREENSHOTS } from './browser-kit';
import { startE2EStack, type E2EStack } from '../support/stack';

/** Order window of the stack this test starts itself (E2E_BASE_URL unset). */
const OWN_STACK_WINDOW_SECONDS = '30';
let stack: E2EStack | undefined;
let BASE_URL = (process.env.E2E_BASE_URL ?? '').replace(/\/+$/, '');
/** Longest order window the expiry scenario is willing to wait out. */
const MAX_EXPIRY_WAIT_MS = 120_000;

const RUN = Date.now().toString(36);
const PASSWORD = 'e2e-browser-password';
const sellerEmail = `seller-${RUN}@example.com`;
const buyerEmail = `buyer-${RUN}@example.com`;

let browser: Browser;
let seller: Page;
let buyer: Page;
let shotCount = 0;
const consoleErrors: string[] = [];
/** HTTP statuses the current test provokes on purpose (their browser log lines are not errors). */
let expectedStatuses: number[] = [];

function isExpectedNetworkLog(text: string): boolean {
  const match = /Failed to load resource: the server responded with a status of (\d{3})/.exec(text);
  return match !== null && expectedStatuses.includes(Number(match[1]));
}

async function watchedContext(name: string): Promise<BrowserContext> {
  const context = await browser.newContext({ baseURL: BASE_URL, viewport: { width: 1280, height: 900 } });
  context.on('console', (msg) => {
    if (msg.type() === 'error' && !isExpectedNetworkLog(msg.text())) {
      consoleErrors.push(`[${name}] ${msg.page()?.url() ?? ''}: ${msg.text()}`);
    }
  });
  context.on('weberror', (err) => consoleErrors.push(`[${name}] uncaught: ${err.error().message}`));
  return context;
}

async function screenshot(page: Page, name: string): Promise<void> {
  shotCount += 1;
  const file = path.join(SCREENSHOTS, `${String(shotCount).padStart(2, '0')}-${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
}

/** Retries `check` (which throws until satisfied) until it passes or `timeoutMs` runs out. */
async function eventually(check: () => Promise<void>, timeoutMs = EVENTUAL_MS): Promise<void> {
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

const mainNav = (page: Page) => page.getByRole('navigation', { name: 'Main' });

async function signUp(page: Page, email: string): Promise<void> {
  await page.goto('/auth/signup');
  await page.getByLabel('Email', { exact: true }).fill(email);
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign up', exact: true }).click();
  await page.waitForURL(`${BASE_URL}/`);
  await mainNav(page).getByText(email).waitFor();
  expect(await mainNav(page).getByRole('link', { name: 'Sell tickets' }).isVisible()).toBe(true);
}

/** Lists a ticket through /tickets/new and returns its id (from the page it lands on). */
async function listTicket(page: Page, title: string, price: string): Promise<string> {
  await page.goto('/tickets/new');
  await page.getByLabel('Title', { exact: true }).fill(title);
  await page.getByLabel('Price (USD)', { exact: true }).fill(price);
  await page.getByRole('button', { name: 'List ticket' }).click();
  await page.waitForURL(/\/tickets\/(?!new$)[^/?#]+$/);
  await page.getByRole('heading', { level: 1, name: title }).waitFor();
  const id = new URL(page.url()).pathname.split('/').pop() ?? '';
  expect(id).not.toBe('');
  return id;
}

/** Opens the ticket as the buyer, presses Purchase and waits for the order page. */
async function purchase(page: Page, ticketId: string, title: string): Promise<void> {
  await page.goto(`/tickets/${ticketId}`);
  await page.getByRole('heading', { level: 1, name: title }).waitFor();
  await page.getByRole('button', { name: 'Purchase' }).click();
  await page.waitForURL(/\/orders\/[^/?#]+$/);
  await page.getByRole('heading', { level: 1, name: `Order for ${title}` }).waitFor();
}

const timer = (page: Page) => page.getByRole('timer');
const payButton = (page: Page) => page.getByRole('button', { name: /^Pay / });

/** m:ss of the countdown → milliseconds. */
async function countdownMs(page: Page): Promise<number> {
  const text = (await timer(page).textContent()) ?? '';
  const match = /^(\d+):(\d{2})$/.exec(text.trim());
  if (!match) throw new Error(`countdown shows "${text}", expected m:ss`);
  return (Number(match[1]) * 60 + Number(match[2])) * 1000;
}

async function payWith(page: Page, card: 'Visa — succeeds' | 'Declined card' | '3-D Secure card'): Promise<void> {
  await page.getByText('Test mode', { exact: true }).waitFor();
  await page.getByRole('radio', { name: card }).check();
  await payButton(page).click();
}

/**
 * Until `unroute`, the page's POST /api/payments reaches the stack as usual, but a success
 * reaches the page as 202 `{id, status: 'authorized'}`: the money is held and the order decides,
 * as payments answers when the order has not decided within its wait. Whatever the payments
 * service answers, the page must then follow the order by itself.
 */
async function answerPaymentsAsAuthorised(page: Page): Promise<void> {
  await page.route('**/api/payments', async (route) => {
    const real = await route.fetch();
    if (real.status() !== 201 && real.status() !== 202) return route.fulfill({ response: real });
    const { id } = (await real.json()) as { id: string };
    await route.fulfill({ status: 202, json: { id, status: 'authorized' } });
  });
}

/**
 * Until `unroute`, pages loaded in `page` get a live stream that ends at once and asks to be
 * reopened only minutes later: the page hears nothing pushed, as when its stream is down, and
 * must follow the order by its own requests (what these scenarios are about).
 */
async function withoutLiveUpdates(page: Page): Promise<void> {
  await page.route('**/api/live**', (route) => route.fulfill({ status: 200, contentType: 'text/event-stream', body: 'retry: 600000\n\n' }));
}

/** Reloads `/` until the ticket titled `title` is listed (or not). */
async function expectListed(page: Page, title: string, listed: boolean): Promise<void> {
  await eventually(async () => {
    await page.goto('/');
    await page.getByRole('heading', { level: 1, name: 'Tickets for sale' }).waitFor();
    expect(await page.getByRole('heading', { name: title, exact: true }).count()).toBe(listed ? 1 : 0);
  });
}

beforeAll(async () => {
  if (!BASE_URL) {
    stack = await startE2EStack({ client: true, env: { EXPIRATION_WINDOW_SECONDS: OWN_STACK_WINDOW_SECONDS } });
    BASE_URL = stack.gatewayUrl.replace(/\/+$/, '');
  }
  try {
    const res = await fetch(`${BASE_URL}/api/users/currentuser`);
    if (res.status !== 200) throw new Error(`GET /api/users/currentuser answered ${res.status}`);
  } catch (err) {
    throw new Error(`The browser test needs the whole stack running at E2E_BASE_URL=${BASE_URL}: ${(err as Error).message}`, { cause: err });
  }
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  browser = await launchChromium();
  seller = await (await watchedContext('seller')).newPage();
  buyer = await (await watchedContext('buyer')).newPage();
}, 300_000); // starting the stack may first build the services and the client

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
}, 60_000);

afterEach(() => {
  const errors = consoleErrors.splice(0);
  expectedStatuses = [];
  expect(errors).toEqual([]);
});

describe('Ticketing client in a real browser', () => {
  it('shows the API field errors next to the fields of an invalid sign-up', async () => {
    expectedStatuses = [400];
    await buyer.goto('/auth/signup');
    await screenshot(buyer, 'signup');
    await buyer.getByLabel('Email', { exact: true }).fill('not-an-email');
    await buyer.getByLabel('Password', { exact: true }).fill('short');
    await buyer.getByRole('button', { name: 'Sign up', exact: true }).click();

    const emailError = buyer.locator('#email-error');
    const passwordError = buyer.locator('#password-error');
    await emailError.waitFor();
    await passwordError.waitFor();
    expect((await emailError.textContent())?.trim()).not.toBe('');
    expect((await passwordError.textContent())?.trim()).not.toBe('');
    expect(await buyer.getByLabel('Email', { exact: true }).getAttribute('aria-invalid')).toBe('true');
    expect(await buyer.getByLabel('Email', { exact: true }).getAttribute('aria-describedby')).toContain('email-error');
    expect(new URL(buyer.url()).pathname).toBe('/auth/signup');
    expect(await mainNav(buyer).getByRole('link', { name: 'Sign in' }).isVisible()).toBe(true);
    await screenshot(buyer, 'signup-invalid');
  });

  it('lets a seller sign up and list a ticket', async () => {
    await seller.goto('/');
    await screenshot(seller, 'home-signed-out');
    await signUp(seller, sellerEmail);
    await screenshot(seller, 'home-signed-in');

    await seller.goto('/tickets/new');
    await screenshot(seller, 'new-ticket');
    const title = `Concert ${RUN} listing`;
    await listTicket(seller, title, '42.50');
    expect(await seller.getByText('You are selling this ticket.').isVisible()).toBe(true);
    await screenshot(seller, 'ticket-seller-view');
    await expectListed(seller, title, true);
    await screenshot(seller, 'home-with-ticket');
  });

  it('lets a buyer purchase, see the countdown and pay with the succeeding card; the ticket leaves the list', async () => {
    expectedStatuses = [404];
    const title = `Concert ${RUN} paid`;
    const ticketId = await listTicket(seller, title, '30');
    await signUp(buyer, buyerEmail);
    await buyer.goto(`/tickets/${ticketId}`);
    await screenshot(buyer, 'ticket-buyer-view');
    await purchase(buyer, ticketId, title);

    const first = await countdownMs(buyer);
    expect(first).toBeGreaterThan(0);
    await eventually(async () => expect(await countdownMs(buyer)).toBeLessThan(first), 10_000);
    await screenshot(buyer, 'order-countdown');

    await payWith(buyer, 'Visa — succeeds');
    await buyer.getByText('Paid', { exact: true }).waitFor({ timeout: EVENTUAL_MS });
    expect(await payButton(buyer).count()).toBe(0);
    expect(await timer(buyer).count()).toBe(0);
    // The page follows the order until it is complete.
    await buyer.getByText('Thank you! The ticket is yours.').waitFor({ timeout: EVENTUAL_MS });
    await screenshot(buyer, 'order-paid');

    await expectListed(buyer, title, false);
    await buyer.goto('/orders');
    const card = buyer.getByRole('listitem').filter({ hasText: title });
    await card.waitFor();
    expect(await card.getByText('Paid', { exact: true }).isVisible()).toBe(true);
    await screenshot(buyer, 'orders');
  }, 120_000);

  it('shows a declined card and keeps the order payable', async () => {
    expectedStatuses = [402, 404];
    const title = `Concert ${RUN} declined`;
    const ticketId = await listTicket(seller, title, '18');
    await purchase(buyer, ticketId, title);

    await payWith(buyer, 'Declined card');
    await buyer.getByRole('alert').filter({ hasText: 'Your card was declined.' }).waitFor();
    expect(await buyer.getByText('Declined', { exact: true }).isVisible()).toBe(true);
    expect(await payButton(buyer).isEnabled()).toBe(true);
    expect(await timer(buyer).isVisible()).toBe(true);
    expect(await buyer.getByText('Paid', { exact: true }).count()).toBe(0);
    await screenshot(buyer, 'order-declined');

    // Still payable: the succeeding card now goes through.
    await payWith(buyer, 'Visa — succeeds');
    await buyer.getByText('Paid', { exact: true }).waitFor({ timeout: EVENTUAL_MS });
    expect(await buyer.getByText('Declined', { exact: true }).count()).toBe(0);
  }, 120_000);

  it('shows "Authorising payment…" while the payment is held, then follows the order to Paid', async () => {
    expectedStatuses = [404];
    const title = `Concert ${RUN} authorising`;
    const ticketId = await listTicket(seller, title, '21');
    // Pushed, the order's completion would replace "Authorising payment…" before it could be seen.
    await withoutLiveUpdates(buyer);
    try {
      await purchase(buyer, ticketId, title);
      await answerPaymentsAsAuthorised(buyer);
      await payWith(buyer, 'Visa — succeeds');
      await buyer.getByText('Authorising payment…', { exact: true }).waitFor({ timeout: EVENTUAL_MS });
      expect(await payButton(buyer).count()).toBe(0);
      expect(await buyer.getByRole('button', { name: 'Cancel order' }).count()).toBe(0);
      await screenshot(buyer, 'order-authorising');
      await buyer.getByText('Thank you! The ticket is yours.').waitFor({ timeout: EVENTUAL_MS });
      expect(await buyer.getByText('Paid', { exact: true }).isVisible()).toBe(true);
    } finally {
      await buyer.unroute('**/api/payments');
      await buyer.unroute('**/api/live**');
    }
  }, 120_000);

  it('offline, a card that needs 3-D Secure is explained and another card can be chosen', async () => {
    expectedStatuses = [404];
    const title = `Concert ${RUN} 3ds`;
    const ticketId = await listTicket(seller, title, '19');
    await purchase(buyer, ticketId, title);

    // The sandbox, like Stripe, answers 202 requires_action for this card: only the browser can authenticate.
    await payWith(buyer, '3-D Secure card');
    await buyer.getByText(/needs 3-D Secure authentication, which the offline test mode cannot do/).waitFor();
    expect(await buyer.getByText(/Your card was not charged: please choose another card/).isVisible()).toBe(true);
    expect(await payButton(buyer).isEnabled()).toBe(true);
    expect(await timer(buyer).isVisible()).toBe(true);
    await screenshot(buyer, 'order-3ds-offline');
    await payWith(buyer, 'Visa — succeeds');
    await buyer.getByText('Paid', { exact: true }).waitFor({ timeout: EVENTUAL_MS });
  }, 120_000);

  it('lets a buyer cancel an order from its page: cancelled, the card not charged, the ticket for sale again', async () => {
    expectedStatuses = [404];
    const title = `Concert ${RUN} cancelled`;
    const ticketId = await listTicket(seller, title, '25');
    await purchase(buyer, ticketId, title);

    await buyer.getByRole('button', { name: 'Cancel order' }).click();
    await buyer.getByText('Cancelled — your card was not charged', { exact: true }).waitFor({ timeout: EVENTUAL_MS });
    expect(await buyer.getByText('You cancelled this order and the ticket is back on sale.').isVisible()).toBe(true);
    expect(await payButton(buyer).count()).toBe(0);
    expect(await buyer.getByRole('button', { name: 'Cancel order' }).count()).toBe(0);
    await screenshot(buyer, 'order-cancelled');

    // Reloaded, the server-rendered page says the same.
    await buyer.reload();
    await buyer.getByText('Cancelled — your card was not charged', { exact: true }).waitFor();
    await expectListed(buyer, title, true);
  }, 120_000);

  it('an order cancelled elsewhere (another tab) cannot be paid: the page says cancelled, card not charged', async () => {
    expectedStatuses = [400, 404];
    const title = `Concert ${RUN} cancelled elsewhere`;
    const ticketId = await listTicket(seller, title, '23');
    // With its live stream down, this page is not told of the cancellation before paying.
    await withoutLiveUpdates(buyer);
    try {
      await purchase(buyer, ticketId, title);
      const orderId = new URL(buyer.url()).pathname.split('/').pop() ?? '';

      // The same buyer (same session cookie) cancels from elsewhere; this page does not know yet.
      const cancelled = await buyer.request.delete(`/api/orders/${orderId}`);
      expect(cancelled.status()).toBe(204);
      await payWith(buyer, 'Visa — succeeds');
      await buyer.getByText('Cancelled — your card was not charged', { exact: true }).waitFor({ timeout: EVENTUAL_MS });
      expect(await buyer.getByText('Paid', { exact: true }).count()).toBe(0);
      expect(await payButton(buyer).count()).toBe(0);
    } finally {
      await buyer.unroute('**/api/live**');
    }
  }, 120_000);

  it('shows "Order expired" when the reservation window runs out, and the ticket is for sale again', async () => {
    expectedStatuses = [404];
    const title = `Concert ${RUN} expired`;
    const ticketId = await listTicket(seller, title, '12');
    await purchase(buyer, ticketId, title);
    const left = await countdownMs(buyer);
    if (left > MAX_EXPIRY_WAIT_MS) {
      throw new Error(
        `The order window is ${Math.round(left / 1000)} s: start the stack with a short expiration window (under ${MAX_EXPIRY_WAIT_MS / 1000} s) for the browser test.`,
      );
    }

    // "Order expired" as the countdown ends, or at once "Order expired — your card was not
    // charged" when the expiry's cancellation is pushed first.
    await buyer.getByText(/^Order expired/).first().waitFor({ timeout: left + 10_000 });
    expect(await payButton(buyer).count()).toBe(0);
    await screenshot(buyer, 'order-expired');

    // The back end agrees: after the expiration event the ticket is listed again.
    await expectListed(buyer, title, true);
    await buyer.goto(`/tickets/${ticketId}`);
    expect(await buyer.getByRole('button', { name: 'Purchase' }).isVisible()).toBe(true);
  }, MAX_EXPIRY_WAIT_MS + 90_000);

  it('signs the seller out and back in', async () => {
    await seller.goto('/');
    await mainNav(seller).getByRole('link', { name: 'Sign out' }).click();
    await seller.waitForURL(`${BASE_URL}/`);
    await mainNav(seller).getByRole('link', { name: 'Sign in' }).waitFor();
    expect(await mainNav(seller).getByText(sellerEmail).count()).toBe(0);

    await mainNav(seller).getByRole('link', { name: 'Sign in' }).click();
    await seller.waitForURL(`${BASE_URL}/auth/signin`);
    await screenshot(seller, 'signin');
    await seller.getByLabel('Email', { exact: true }).fill(sellerEmail);
    await seller.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await seller.getByRole('button', { name: 'Sign in', exact: true }).click();
    await seller.waitForURL(`${BASE_URL}/`);
    await mainNav(seller).getByText(sellerEmail).waitFor();
    expect(await mainNav(seller).getByRole('link', { name: 'My orders' }).isVisible()).toBe(true);
  });
});
