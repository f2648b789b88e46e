import { SandboxGateway, type AuthorizeRequest, type IntentState, type PaymentGateway } from '../../src/gateway';

/**
 * Wraps a gateway and keeps every authorize request and every successful result. With
 * holdUntil(n), answers wait until n requests are inside authorize at once, so concurrent
 * requests deterministically overlap there (and then race on recording the payment).
 * Interim (branch h/pay-stripe): adapted to the issue-15 interface; pay-core's version replaces it.
 */
export class RecordingGateway implements PaymentGateway {
  readonly requests: AuthorizeRequest[] = [];
  readonly results: IntentState[] = [];
  private gate: { count: number; open: Promise<void>; release: () => void } | undefined;

  constructor(readonly inner: PaymentGateway = new SandboxGateway()) {}

  holdUntil(concurrentRequests: number): void {
    let release!: () => void;
    const open = new Promise<void>((resolve) => (release = resolve));
    this.gate = { count: this.requests.length + concurrentRequests, open, release };
  }

  async authorize(req: AuthorizeRequest): Promise<IntentState> {
    this.requests.push(req);
    const result = await this.inner.authorize(req);
    const gate = this.gate;
    if (gate) {
      if (this.requests.length >= gate.count) {
        this.gate = undefined;
        gate.release();
      }
      await gate.open;
    }
    this.results.push(result);
    return result;
  }

  createIntent: PaymentGateway['createIntent'] = (req) => this.inner.createIntent(req);
  retrieve: PaymentGateway['retrieve'] = (id) => this.inner.retrieve(id);
  capture: PaymentGateway['capture'] = (id, key) => this.inner.capture(id, key);
  cancel: PaymentGateway['cancel'] = (id, key) => this.inner.cancel(id, key);
  refund: PaymentGateway['refund'] = (id, amount, key) => this.inner.refund(id, amount, key);
}
