import { SandboxGateway, type ChargeRequest, type ChargeResult, type PaymentGateway } from '../../src/gateway';

/**
 * Wraps a gateway and keeps every charge request and every successful result. With
 * holdUntil(n), answers wait until n requests are inside the charge at once, so concurrent
 * requests deterministically overlap there (and then race on recording the payment).
 */
export class RecordingGateway implements PaymentGateway {
  readonly requests: ChargeRequest[] = [];
  readonly results: ChargeResult[] = [];
  private gate: { count: number; open: Promise<void>; release: () => void } | undefined;

  constructor(readonly inner: PaymentGateway = new SandboxGateway()) {}

  holdUntil(concurrentRequests: number): void {
    let release!: () => void;
    const open = new Promise<void>((resolve) => (release = resolve));
    this.gate = { count: this.requests.length + concurrentRequests, open, release };
  }

  async charge(req: ChargeRequest): Promise<ChargeResult> {
    this.requests.push(req);
    const result = await this.inner.charge(req);
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
}
