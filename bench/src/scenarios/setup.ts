import { listTickets, metricsOf, sumMetric, waitForHandled, type Ticket } from '../api';
import type { BenchStack } from '../stack';

/** Lists `count` tickets and waits until the orders service's replica has them all. */
export async function listReplicatedTickets(stack: BenchStack, count: number, title?: string): Promise<Ticket[]> {
  const before = sumMetric(await metricsOf(stack, 'orders-1'), 'events_handled_total', { subject: 'ticket.created', outcome: 'ack' });
  const tickets = await listTickets(stack, count, { title });
  await waitForHandled(stack, 'orders-1', 'ticket.created', before + count);
  return tickets;
}
