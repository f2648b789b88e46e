import {
  SandboxGateway,
  type AuthorizeRequest,
  type CreateIntentRequest,
  type IntentState,
  type PaymentGateway,
  type RefundResult,
} from '../../src/gateway';

type Call =
  | { call: 'authorize'; request: AuthorizeRequest }
  | { call: 'createIntent'; request: CreateIntentRequest }
  | { call: 'retrieve' | 'capture' | 'cancel' | 'refund'; intentId: string; idempotencyKey?: string };

/**
 * Wraps a gateway and keeps every call. With holdUntil(n), authorize answers wait until n
 * requests are inside it at once, so concurrent requests deterministically overlap there.
 */
export class RecordingGateway implements PaymentGateway {
  readonly calls: Call[] = [];
  private gate: { count: number; open: Promise<void>; release: () => void } | undefined;

  constructor(readonly inner: SandboxGateway = new SandboxGateway()) {}

  /** Authorize requests seen, optionally for one order. */
  authorizations(orderId?: string): AuthorizeRequest[] {
    return this.calls.flatMap((c) => (c.call === 'authorize' && (!orderId || c.request.orderId === orderId) ? [c.request] : []));
  }

  /** Calls of one kind on one intent. */
  callsOn(call: 'retrieve' | 'capture' | 'cancel' | 'refund', intentId: string): number {
    return this.calls.filter((c) => c.call === call && 'intentId' in c && c.intentId === intentId).length;
  }

  holdUntil(concurrentRequests: number): void {
    let release!: () => void;
    const open = new Promise<void>((resolve) => (release = resolve));
    this.gate = { count: this.authorizations().length + concurrentRequests, open, release };
  }

  async authorize(request: AuthorizeRequest): Promise<IntentState> {
    this.calls.push({ call: 'authorize', request });
    const gate = this.gate;
    if (gate) {
      if (this.authorizations().length >= gate.count) {
        this.gate = undefined;
        gate.release();
      }
      await gate.open;
    }
    return this.inner.authorize(request);
  }

  createIntent(request: CreateIntentRequest): Promise<IntentState> {
    this.calls.push({ call: 'createIntent', request });
    return this.inner.createIntent(request);
  }

  retrieve(intentId: string): Promise<IntentState> {
    this.calls.push({ call: 'retrieve', intentId });
    return this.inner.retrieve(intentId);
  }

  capture(intentId: string, idempotencyKey: string): Promise<IntentState> {
    this.calls.push({ call: 'capture', intentId, idempotencyKey });
    return this.inner.capture(intentId, idempotencyKey);
  }

  cancel(intentId: string, idempotencyKey: string): Promise<IntentState> {
    this.calls.push({ call: 'cancel', intentId, idempotencyKey });
    return this.inner.cancel(intentId, idempotencyKey);
  }

  refund(intentId: string, amountCents: number, idempotencyKey: string): Promise<RefundResult> {
    this.calls.push({ call: 'refund', intentId, idempotencyKey });
    return this.inner.refund(intentId, amountCents, idempotencyKey);
  }
}
