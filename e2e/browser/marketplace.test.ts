/**
 * The live marketplace in a real headless Chromium against the whole stack (with the live
 * service): two buyers see each other's reservation and its release without reloading; a
 * waiting buyer is handed the released ticket; a buyer receives an e-ticket, the organizer
 * checks it in on /scan (once: the second scan is "already used"), the buyer resells it (the
 * old code is "superseded"); the organizer edits, withdraws and relists on "My listings";
 * the catalogue search; signing in returns to a safe `?next=` path only. Screenshots of the
 * new pages go to test-output/screenshots/marketplace-*.png.
 *
 * "Live" is checked as "the same document": a mark set on the page's window survives (no
 * reload, no navigation) while the page shows the change.
 */
import fs from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startE2EStack, type E2EStack } from '../support/stack';
import {
  BrowserKit,
  CHROMIUM,
  EVENTUAL_MS,
  PASSWORD,
  eventually,
  launchChromium,
  listTicket,
  mainNav,
  markDocument,
  payWithVisa,
  purchaseHere,
  signUp,
  stillSameDocument,
} from './browser-kit';

const RUN = Date.now().toString(36);
let stack: E2EStack;
let browser: Browser;
let kit: BrowserKit;
let organizer: Page;
let alice: Page;
let bob: Page;
const contexts: BrowserContext[] = [];

const availability = (page: Page) => page.locator('dl.facts dt:text-is("Availability") + dd');
const card = (page: Page, title: string) => page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: title, exact: true }) });
const scanResult = (page: Page) => page.getByRole('status').locator('.banner');

async function expectLive(page: Page, check: () => Promise<void>): Promise<void> {
  await eventually(check);
  expect(await stillSameDocument(page)).toBe(true);
}

async function newPage(name: string): Promise<Page> {
  const context = await kit.context(name);
  contexts.push(context);
  return context.newPage();
}

async function scan(page: Page, code: string): Promise<string> {
  await page.getByLabel('Ticket code', { exact: true }).fill(code);
  await page.getByRole('button', { name: 'Check in' }).click();
  await scanResult(page).waitFor();
  return ((await scanResult(page).textContent()) ?? '').trim();
}

beforeAll(async () => {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get update && apt-get install -y chromium`);
  // A long window: reservations here end by Cancel, never by expiry.
  stack = await startE2EStack({ client: true, env: { EXPIRATION_WINDOW_SECONDS: '300' } });
  const base = stack.gatewayUrl.replace(/\/+$/, '');
  browser = await launchChromium();
  kit = new BrowserKit(browser, base, 'marketplace');
  organizer = await newPage('organizer');
  alice = await newPage('alice');
  bob = await newPage('bob');
  await signUp(organizer, `organizer-${RUN}@example.com`);
  await signUp(alice, `alice-${RUN}@example.com`);
  await signUp(bob, `bob-${RUN}@example.com`);
}, 600_000); // may first build the services and the client

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
}, 60_000);

afterEach(() => {
  const errors = kit.consoleErrors.splice(0);
  kit.expectedStatuses = [];
  expect(errors).toEqual([]);
});

describe('the live marketplace in a real browser', () => {
  it('two buyers see each other’s reservation and its release live, without reloading', async () => {
    kit.expectedStatuses = [404];
    const title = `Live ${RUN} hold`;
    const ticketId = await listTicket(organizer, title, '35');
    await alice.goto(`/tickets/${ticketId}`);
    await bob.goto(`/tickets/${ticketId}`);
    expect(await availability(bob).textContent()).toBe('For sale');
    await markDocument(bob);

    // Alice reserves: Bob's open page turns "Reserved" by itself and offers the waitlist.
    await purchaseHere(alice, title);
    await expectLive(bob, async () => expect(await availability(bob).textContent()).toBe('Reserved'));
    await bob.getByRole('button', { name: 'Join the waitlist' }).waitFor();
    await kit.screenshot(bob, 'ticket-reserved-by-another');

    // Alice cancels: Bob's page is "For sale" again, with Purchase.
    await alice.getByRole('button', { name: 'Cancel order' }).click();
    await alice.getByText('Cancelled — your card was not charged', { exact: true }).waitFor({ timeout: EVENTUAL_MS });
    await expectLive(bob, async () => expect(await availability(bob).textContent()).toBe('For sale'));
    await bob.getByRole('button', { name: 'Purchase' }).waitFor();

    // And the other way round: Bob reserves and releases, Alice's open page follows.
    await alice.goto(`/tickets/${ticketId}`);
    await markDocument(alice);
    await purchaseHere(bob, title);
    await expectLive(alice, async () => expect(await availability(alice).textContent()).toBe('Reserved'));
    await bob.getByRole('button', { name: 'Cancel order' }).click();
    await bob.getByText('Cancelled — your card was not charged', { exact: true }).waitFor({ timeout: EVENTUAL_MS });
    await expectLive(alice, async () => expect(await availability(alice).textContent()).toBe('For sale'));
  }, 240_000);

  it('a waiting buyer sees their place, and is handed the ticket when the hold is released', async () => {
    kit.expectedStatuses = [404];
    const title = `Live ${RUN} waitlist`;
    const ticketId = await listTicket(organizer, title, '28');
    await alice.goto(`/tickets/${ticketId}`);
    await purchaseHere(alice, title);

    await bob.goto(`/tickets/${ticketId}`);
    await eventually(async () => expect(await availability(bob).textContent()).toBe('Reserved'));
    await bob.getByRole('button', { name: 'Join the waitlist' }).click();
    await bob.getByText('number 1', { exact: true }).waitFor();
    await bob.getByRole('button', { name: 'Leave the waitlist' }).waitFor();
    await kit.screenshot(bob, 'ticket-waitlist-position');
    await markDocument(bob);

    await alice.getByRole('button', { name: 'Cancel order' }).click();
    await alice.getByText('Cancelled — your card was not charged', { exact: true }).waitFor({ timeout: EVENTUAL_MS });
    // The first in line gets the ticket reserved for them, and is told on the open page.
    await expectLive(bob, async () => expect(await bob.getByText('It is your turn: the ticket is reserved for you.').isVisible()).toBe(true));
    await kit.screenshot(bob, 'ticket-waitlist-offered');
    await bob.goto('/orders');
    await card(bob, title).getByText('Awaiting payment', { exact: true }).waitFor();
  }, 240_000);

  it('delivers an e-ticket the organizer checks in once on /scan; a resold ticket’s old code is superseded', async () => {
    kit.expectedStatuses = [404, 409];
    const title = `Live ${RUN} concert`;
    const ticketId = await listTicket(organizer, title, '40');
    await alice.goto(`/tickets/${ticketId}`);
    await purchaseHere(alice, title);
    await payWithVisa(alice);

    // The e-ticket arrives on "My tickets" once the order completed and the ticket changed hands.
    await eventually(async () => {
      await alice.goto('/tickets/mine');
      await card(alice, title).getByRole('img', { name: `E-ticket code for ${title}` }).waitFor({ timeout: 2_000 });
    });
    expect(await card(alice, title).getByText('Valid — show this code at the door').isVisible()).toBe(true);
    const code = await alice.getByLabel(`Ticket code for ${title}`).inputValue();
    expect(code.split('.')).toHaveLength(3);
    await kit.screenshot(alice, 'my-tickets');
    await markDocument(alice);

    await organizer.goto('/scan');
    await kit.screenshot(organizer, 'scan');
    expect(await scan(organizer, code)).toBe('Admitted');
    await kit.screenshot(organizer, 'scan-admitted');
    // The holder's open page shows the check-in by itself.
    await expectLive(alice, async () => expect(await card(alice, title).getByText('Checked in', { exact: true }).isVisible()).toBe(true));
    await kit.screenshot(alice, 'my-tickets-checked-in');

    expect(await scan(organizer, code)).toBe('Already used');
    await kit.screenshot(organizer, 'scan-already-used');

    // The holder lists it again: the code she holds stops working.
    await alice.goto(`/tickets/${ticketId}`);
    await alice.getByText('This ticket is yours.', { exact: false }).waitFor();
    await kit.screenshot(alice, 'ticket-holder-resale');
    await alice.getByLabel('Price (USD)', { exact: true }).fill('45');
    await alice.getByRole('button', { name: 'List for resale' }).click();
    await alice.getByText('You are selling this ticket.', { exact: false }).waitFor({ timeout: EVENTUAL_MS });
    expect(await availability(alice).textContent()).toBe('For sale');
    await eventually(async () => expect(await scan(organizer, code)).toBe('Superseded'));
    await kit.screenshot(organizer, 'scan-superseded');

    // Bob buys the resale; the sale shows on both sellers' listings.
    await bob.goto(`/tickets/${ticketId}`);
    await purchaseHere(bob, title);
    await payWithVisa(bob);
    await eventually(async () => {
      await bob.goto('/tickets/mine');
      await card(bob, title).getByText('Valid — show this code at the door').waitFor({ timeout: 2_000 });
    });
    await eventually(async () => {
      await alice.goto('/tickets/listings');
      await card(alice, title).getByRole('table', { name: `Sales of ${title}` }).getByText('$45.00').waitFor({ timeout: 2_000 });
    });
    await kit.screenshot(alice, 'my-listings-resold');
    await organizer.goto('/tickets/listings');
    await card(organizer, title).getByRole('table', { name: `Sales of ${title}` }).getByText('$40.00').waitFor();
  }, 300_000);

  it('My listings: edit, withdraw and list again, and a reservation shows live', async () => {
    kit.expectedStatuses = [404];
    const title = `Live ${RUN} listing`;
    const other = `Live ${RUN} listing two`;
    await listTicket(organizer, title, '20');
    const otherId = await listTicket(organizer, other, '22');
    await organizer.goto('/tickets/listings');
    await kit.screenshot(organizer, 'my-listings');

    const mine = card(organizer, title);
    await mine.getByRole('button', { name: 'Edit' }).click();
    await mine.getByLabel('Price (USD)', { exact: true }).fill('24.5');
    await mine.getByRole('button', { name: 'Save changes' }).click();
    await mine.getByText('$24.50').waitFor();
    await mine.getByRole('button', { name: 'Withdraw' }).click();
    await mine.getByText('Withdrawn', { exact: true }).waitFor();
    await kit.screenshot(organizer, 'my-listings-withdrawn');
    await mine.getByRole('button', { name: 'List again' }).click();
    await mine.getByText('For sale', { exact: true }).waitFor();

    await markDocument(organizer);
    await alice.goto(`/tickets/${otherId}`);
    await purchaseHere(alice, other);
    await expectLive(organizer, async () => expect(await card(organizer, other).getByText('Reserved', { exact: true }).isVisible()).toBe(true));
    await alice.getByRole('button', { name: 'Cancel order' }).click();
    await alice.getByText('Cancelled — your card was not charged', { exact: true }).waitFor({ timeout: EVENTUAL_MS });
  }, 240_000);

  it('searches the catalogue by title and price range, sorted, in the query string', async () => {
    const prefix = `Search ${RUN}`;
    await listTicket(organizer, `${prefix} cheap`, '10');
    await listTicket(organizer, `${prefix} dear`, '30');
    await listTicket(organizer, `${prefix} middle`, '20');

    await bob.goto('/');
    await bob.getByLabel('Title', { exact: true }).fill(prefix);
    await bob.getByLabel('Min price', { exact: true }).fill('15');
    await bob.getByLabel('Sort', { exact: true }).selectOption('price-desc');
    await bob.getByRole('button', { name: 'Search' }).click();
    await bob.waitForURL((url) => url.searchParams.get('q') === prefix && url.searchParams.get('sort') === 'price-desc');
    await eventually(async () => {
      const titles = await bob.locator('.card-title').allTextContents();
      expect(titles).toEqual([`${prefix} dear`, `${prefix} middle`]);
    });
    // The form keeps the search it shows.
    expect(await bob.getByLabel('Min price', { exact: true }).inputValue()).toBe('15');
    await kit.screenshot(bob, 'search');
  }, 120_000);

  it('signing in returns to the page that asked for it, never to another site', async () => {
    const visitor = await newPage('visitor');
    await visitor.goto('/tickets/mine');
    await visitor.waitForURL((url) => url.pathname === '/auth/signin' && url.searchParams.get('next') === '/tickets/mine');
    await kit.screenshot(visitor, 'signin-with-next');
    await visitor.getByRole('link', { name: 'Create an account' }).click();
    await visitor.waitForURL((url) => url.pathname === '/auth/signup' && url.searchParams.get('next') === '/tickets/mine');
    const email = `visitor-${RUN}@example.com`;
    await visitor.getByLabel('Email', { exact: true }).fill(email);
    await visitor.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await visitor.getByRole('button', { name: 'Sign up', exact: true }).click();
    await visitor.waitForURL((url) => url.pathname === '/tickets/mine');
    await visitor.getByRole('heading', { level: 1, name: 'My tickets' }).waitFor();
    await kit.screenshot(visitor, 'my-tickets-empty');

    for (const next of ['//evil.com', 'https://evil.com/', '/\\evil.com']) {
      const context = await kit.context(`next ${next}`);
      contexts.push(context);
      const page = await context.newPage();
      await page.goto(`/auth/signin?next=${encodeURIComponent(next)}`);
      await page.getByLabel('Email', { exact: true }).fill(email);
      await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
      await page.getByRole('button', { name: 'Sign in', exact: true }).click();
      await mainNav(page).getByText(email).waitFor();
      const landed = new URL(page.url());
      expect(landed.origin).toBe(kit.baseUrl);
      expect(landed.pathname).toBe('/');
      await context.close();
    }
  }, 120_000);
});
