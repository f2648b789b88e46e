/**
 * The client's live updates in a real headless Chromium against the whole stack: pages change
 * while nobody reloads them, because of what other users do (through the API here, so that
 * only the watching page is a browser). Checks the LiveProvider / useLive wiring of the landing
 * page, a ticket's page and an order's page. Fails on any console error.
 */
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from './browser-kit';
import { eventually } from '@ticketing/dev-servers';
import type { Order, Ticket } from '@ticketing/client/lib/api/types';
import { Shopper } from '../support/api';
import { startE2EStack, type E2EStack } from '../support/stack';

let stack: E2EStack;
let browser: Browser;
const consoleErrors: string[] = [];

beforeAll(async () => {
  stack = await startE2EStack({ client: true });
  browser = await launchChromium();
}, 600_000);
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

async function pageFor(shopper?: Shopper): Promise<Page> {
  const context = await browser.newContext({ baseURL: stack.gatewayUrl });
  if (shopper) {
    const cookies = shopper.cookie.split('; ').map((c) => c.split('='));
    await context.addCookies(cookies.map(([name, ...v]) => ({ name, value: v.join('='), url: stack.gatewayUrl })));
  }
  context.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));
  context.on('weberror', (e) => consoleErrors.push(e.error().message));
  return context.newPage();
}

/** The page has its live stream open (the gateway answered it). */
const streaming = (page: Page) => page.waitForResponse((r) => r.url().includes('/api/live') && r.status() === 200);

test('the landing page, a ticket page and an order page follow what other users do, without a reload', async () => {
  const seller = await new Shopper(stack.gatewayUrl).signup();
  const buyer = await new Shopper(stack.gatewayUrl).signup();

  const visitor = await pageFor();
  const opened = streaming(visitor);
  await visitor.goto('/');
  await opened;
  const title = `Live show ${Date.now().toString(36)}`;
  const ticket = (await seller.call<Ticket>('POST', '/api/tickets', { title, price: 12 })).body;
  await visitor.getByRole('heading', { name: title }).waitFor({ timeout: 30_000 });

  const ticketPage = await pageFor();
  const ticketOpened = streaming(ticketPage);
  await ticketPage.goto(`/tickets/${ticket.id}`);
  await ticketOpened;
  await ticketPage.getByText('For sale', { exact: true }).waitFor();
  const order = await eventually(async () => {
    const res = await buyer.call<Order>('POST', '/api/orders', { ticketId: ticket.id });
    return res.status === 201 ? res.body : undefined;
  });
  await ticketPage.getByText('Reserved', { exact: true }).waitFor({ timeout: 30_000 });
  // Reserved tickets leave the landing page's list.
  await visitor.getByRole('heading', { name: title }).waitFor({ state: 'detached', timeout: 30_000 });

  const orderPage = await pageFor(buyer);
  const orderOpened = streaming(orderPage);
  await orderPage.goto(`/orders/${order.id}`);
  await orderOpened;
  await orderPage.getByRole('timer').waitFor();
  // Paid elsewhere (another tab, here the API): the page turns Paid by itself.
  await eventually(async () => {
    const res = await buyer.call('POST', '/api/payments', { orderId: order.id, token: 'tok_visa' });
    return res.status === 201 || res.status === 202;
  });
  await orderPage.getByText('Paid', { exact: true }).waitFor({ timeout: 30_000 });
  expect(consoleErrors).toEqual([]);
});
