import { randomObjectId, testSessionEnv } from '@ticketing/common/testing';
import { paymentsConfigSchema } from '../src/config';
import {
  CardDeclinedError,
  createGateway,
  InvalidPaymentTokenError,
  PaymentInProgressError,
  SandboxGateway,
  StripeGateway,
} from '../src/gateway';
import { testLogger } from './helpers/environment';

const request = (token: string, idempotencyKey = `pi:${randomObjectId()}:0`, amountCents = 2000) => ({
  orderId: randomObjectId(),
  amountCents,
  token,
  idempotencyKey,
});

describe('offline sandbox gateway', () => {
  it("charges Stripe's succeeding test cards", async () => {
    const sandbox = new SandboxGateway();
    for (const token of ['tok_visa', 'pm_card_visa', 'tok_mastercard', 'pm_card_amex']) {
      expect((await sandbox.charge(request(token))).id).toMatch(/^pi_sandbox_[0-9a-f]{24}$/);
    }
    expect(sandbox.chargesMade).toBe(4);
  });

  it('declines tok_chargeDeclined / pm_card_chargeDeclined with "Your card was declined."', async () => {
    const sandbox = new SandboxGateway();
    for (const token of ['tok_chargeDeclined', 'pm_card_chargeDeclined']) {
      const outcome = sandbox.charge(request(token));
      await expect(outcome).rejects.toBeInstanceOf(CardDeclinedError);
      await expect(outcome).rejects.toThrow('Your card was declined.');
    }
    expect(sandbox.chargesMade).toBe(0);
  });

  it('refuses tokens it does not know', async () => {
    const sandbox = new SandboxGateway();
    await expect(sandbox.charge(request('tok_4242424242424242'))).rejects.toBeInstanceOf(InvalidPaymentTokenError);
    await expect(sandbox.charge(request('card_visa'))).rejects.toThrow('Unknown test card token');
  });

  it('same idempotency key: same outcome and no second charge, even when concurrent', async () => {
    const sandbox = new SandboxGateway();
    const key = `pi:${randomObjectId()}:0`;
    const results = await Promise.all(Array.from({ length: 5 }, () => sandbox.charge(request('tok_visa', key))));
    expect(new Set(results.map((r) => r.id)).size).toBe(1);
    expect((await sandbox.charge(request('tok_visa', key))).id).toBe(results[0].id);
    expect(sandbox.chargesMade).toBe(1);

    const declinedKey = `pi:${randomObjectId()}:0`;
    await expect(sandbox.charge(request('tok_chargeDeclined', declinedKey))).rejects.toBeInstanceOf(CardDeclinedError);
    await expect(sandbox.charge(request('tok_chargeDeclined', declinedKey))).rejects.toBeInstanceOf(CardDeclinedError);
  });

  it('refuses a key reused with other parameters, as Stripe does', async () => {
    const sandbox = new SandboxGateway();
    const key = `pi:${randomObjectId()}:0`;
    await expect(sandbox.charge(request('tok_chargeDeclined', key))).rejects.toBeInstanceOf(CardDeclinedError);
    await expect(sandbox.charge(request('tok_visa', key))).rejects.toBeInstanceOf(PaymentInProgressError);
    await expect(sandbox.charge(request('tok_chargeDeclined', key, 3000))).rejects.toBeInstanceOf(PaymentInProgressError);
    expect(sandbox.chargesMade).toBe(0);
  });
});

describe('gateway selection', () => {
  const base = testSessionEnv();

  it('uses the sandbox without STRIPE_KEY and Stripe with it', () => {
    const sandbox = createGateway(paymentsConfigSchema({}).parse({ ...base, STRIPE_KEY: '' }), testLogger());
    expect(sandbox).toBeInstanceOf(SandboxGateway);
    const stripe = createGateway(paymentsConfigSchema({}).parse({ ...base, STRIPE_KEY: 'sk_test_123' }), testLogger());
    expect(stripe).toBeInstanceOf(StripeGateway);
  });

  it('refuses a token that is neither tok_… nor pm_… before calling Stripe', async () => {
    const stripe = createGateway(paymentsConfigSchema({}).parse({ ...base, STRIPE_KEY: 'sk_test_123', STRIPE_API_PORT: '9' }), testLogger());
    await expect(stripe.charge(request('4242424242424242'))).rejects.toBeInstanceOf(InvalidPaymentTokenError);
  });
});
