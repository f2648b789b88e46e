/** How big each scenario is. `sizesFor(1)` are the documented defaults. */
export interface Sizes {
  /** read: tickets listed, connections, seconds (gateway run and bare run each). */
  readTickets: number;
  readConnections: number;
  readSeconds: number;
  /** contention: distinct buyers racing for one ticket; and the small race (the seed's size). */
  contentionBuyers: number;
  contentionSmallBuyers: number;
  /** Replicas of every service for the scale-out run of read and contention (0 = no such run). */
  scaleOutReplicas: number;
  /** ramp: connections reached, seconds, steps to get there, share of requests that are order attempts. */
  rampConnections: number;
  rampSeconds: number;
  rampSteps: number;
  rampOrderShare: number;
  /** saga: buyers (one ticket each), at most this many in flight. */
  sagaBuyers: number;
  sagaConcurrency: number;
  /** replication lag: tickets per second, seconds. */
  lagRate: number;
  lagSeconds: number;
  /** expiration lateness: orders (2 s window), placed over this many seconds. */
  expiryOrders: number;
  expirySpreadSeconds: number;
}

const DEFAULTS: Sizes = {
  readTickets: 1_000,
  readConnections: 200,
  readSeconds: 20,
  contentionBuyers: 1_000,
  contentionSmallBuyers: 50,
  scaleOutReplicas: 2,
  rampConnections: 500,
  rampSeconds: 30,
  rampSteps: 10,
  rampOrderShare: 0.2,
  sagaBuyers: 200,
  sagaConcurrency: 50,
  lagRate: 20,
  lagSeconds: 15,
  expiryOrders: 100,
  expirySpreadSeconds: 5,
};

/** Every size times `scale` (at least 1; durations at least 1 s). BENCH_SCALE sets it for `npm run bench`. */
export function sizesFor(scale: number): Sizes {
  const s = (v: number) => Math.max(1, Math.round(v * scale));
  return {
    readTickets: s(DEFAULTS.readTickets),
    readConnections: s(DEFAULTS.readConnections),
    readSeconds: s(DEFAULTS.readSeconds),
    contentionBuyers: Math.max(2, s(DEFAULTS.contentionBuyers)),
    contentionSmallBuyers: Math.max(2, s(DEFAULTS.contentionSmallBuyers)),
    scaleOutReplicas: DEFAULTS.scaleOutReplicas,
    rampConnections: Math.max(DEFAULTS.rampSteps, s(DEFAULTS.rampConnections)),
    rampSeconds: s(DEFAULTS.rampSeconds),
    rampSteps: DEFAULTS.rampSteps,
    rampOrderShare: DEFAULTS.rampOrderShare,
    sagaBuyers: s(DEFAULTS.sagaBuyers),
    sagaConcurrency: s(DEFAULTS.sagaConcurrency),
    lagRate: DEFAULTS.lagRate,
    lagSeconds: s(DEFAULTS.lagSeconds),
    expiryOrders: s(DEFAULTS.expiryOrders),
    expirySpreadSeconds: s(DEFAULTS.expirySpreadSeconds),
  };
}
