import { randomObjectId, signin } from '@ticketing/dev-servers';
import { metricsText, requestJson } from '@ticketing/local';
import type { Ticket } from '@ticketing/common/api';
import type { BenchStack } from './stack';

// The answers' shapes are the services' own (zod schemas, from which their OpenAPI documents are made).
export type { Order, Ticket } from '@ticketing/common/api';

export interface Reply<T> {
  status: number;
  body: T;
}

/** A user's `Cookie` header: a session signed with the stack's session key (as signin() in tests). */
export function mintCookie(stack: BenchStack, id = randomObjectId()): string {
  return signin({ id }, { pair: stack.sessionKeys, expiresInSeconds: 6 * 3600 })[0];
}

export function mintCookies(stack: BenchStack, count: number): string[] {
  return Array.from({ length: count }, () => mintCookie(stack));
}

/** One JSON request through the gateway. */
export async function call<T = unknown>(stack: BenchStack, method: string, path: string, cookie?: string, body?: unknown): Promise<Reply<T>> {
  const res = await requestJson<T>(stack.gatewayUrl, method, path, { cookie, body });
  return { status: res.status, body: res.body };
}

/** Runs `task` over `items`, at most `concurrency` at a time. */
export async function inParallel<I, R>(items: I[], concurrency: number, task: (item: I, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await task(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  return results;
}

/** Lists `count` tickets for one seller, `concurrency` requests at a time. */
export async function listTickets(stack: BenchStack, count: number, { concurrency = 16, title = 'Bench ticket' } = {}): Promise<Ticket[]> {
  const seller = mintCookie(stack);
  return inParallel(Array.from({ length: count }, (_, i) => i), concurrency, async (i) => {
    const res = await call<Ticket>(stack, 'POST', '/api/tickets', seller, { title: `${title} ${i}`, price: 10 + (i % 90) });
    if (res.status !== 201) throw new Error(`listing a ticket failed: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  });
}

export { sumMetric } from '@ticketing/local';

export async function metricsOf(stack: BenchStack, process: string): Promise<string> {
  const text = await metricsText(stack.urlOf(process));
  if (text === undefined) throw new Error(`${process} did not answer GET /metrics`);
  return text;
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Waits until `handledCount()` (events of `subject` a service has acked in total: its replica
 * has applied them) reaches `count`, e.g. the orders service knowing every ticket listed so far.
 */
export async function waitForHandled(handledCount: () => Promise<number>, process: string, subject: string, count: number, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const handled = await handledCount();
    if (handled >= count) return;
    if (Date.now() > deadline) throw new Error(`${process} handled ${handled} of ${count} ${subject} events in ${timeoutMs / 1000}s`);
    await sleep(100);
  }
}
