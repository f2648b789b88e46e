import { listTickets, metricsOf, sumMetric, waitForHandled, type Ticket } from '../api';
import type { BenchStack } from '../stack';

/** ticket.created events the orders service's replicas have applied, all replicas together. */
async function ticketsReplicated(stack: BenchStack): Promise<number> {
  const replicas = stack.processes.filter((p) => /^orders-\d+$/.test(p.name)).map((p) => p.name);
  const counts = await Promise.all(replicas.map(async (r) => sumMetric(await metricsOf(stack, r), 'events_handled_total', { subject: 'ticket.created', outcome: 'ack' })));
  return counts.reduce((a, b) => a + b, 0);
}

/** Lists `count` tickets and waits until the orders service's replicas have them all. */
export async function listReplicatedTickets(stack: BenchStack, count: number, title?: string): Promise<Ticket[]> {
  const before = await ticketsReplicated(stack);
  const tickets = await listTickets(stack, count, { title });
  await waitForHandled(() => ticketsReplicated(stack), 'orders', 'ticket.created', before + count);
  return tickets;
}
