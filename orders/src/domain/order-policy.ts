/** The rules every new order follows, whether a buyer placed it or the waitlist did for them (orderPolicyFrom). */
export interface OrderPolicy {
  /** How long an order holds its ticket before it expires unless paid. */
  windowSeconds: number;
  /** Most unpaid orders a buyer may hold at once; 0: no cap. */
  maxActivePerBuyer: number;
}
