import { eventually } from '@ticketing/dev-servers';
import { sumMetric } from '../support/api';
import { startE2EStack, type E2EStack } from '../support/stack';
import { expiryFlow, purchaseFlow } from '../support/flows';

describe('the whole system over HTTP (REPLICAS=2)', () => {
  let stack: E2EStack;
  beforeAll(async () => {
    stack = await startE2EStack({ replicas: 2 });
  }, 180_000);
  afterAll(async () => {
    await stack?.stop();
  });

  it('purchase: list → order → pay with tok_visa → complete, ticket no longer listed', async () => {
    await purchaseFlow(stack.gatewayUrl);
    await purchaseFlow(stack.gatewayUrl);
  });

  it('each event was handled once per service, across both replicas', async () => {
    const expected: Record<string, { services: string[]; count: number }> = {
      'ticket.created': { services: ['orders'], count: 2 },
      'order.created': { services: ['tickets', 'payments', 'expiration'], count: 2 },
      'payment.created': { services: ['orders'], count: 2 },
      'order.completed': { services: ['payments'], count: 2 },
      'payment.captured': { services: ['orders'], count: 2 },
    };
    for (const [subject, { services, count }] of Object.entries(expected)) {
      for (const service of services) {
        await eventually(async () => {
          let total = 0;
          for (const replica of [1, 2]) {
            const text = await (await fetch(`${stack.urlOf(`${service}-${replica}`)}/metrics`)).text();
            total += sumMetric(text, 'events_handled_total', { subject, outcome: 'ack' });
          }
          if (total !== count) throw new Error(`${service} handled ${subject} ${total} times, expected ${count}`);
          return true;
        });
      }
    }
  });
});

describe('expiration with a 3-second window', () => {
  let stack: E2EStack;
  beforeAll(async () => {
    stack = await startE2EStack({ env: { EXPIRATION_WINDOW_SECONDS: '3' } });
  }, 180_000);
  afterAll(async () => {
    await stack?.stop();
  });

  it('an unpaid order becomes cancelled and the ticket is listed again', async () => {
    await expiryFlow(stack.gatewayUrl, 3);
  }, 120_000);
});
