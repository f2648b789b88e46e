import { STREAMS, streamForSubject, type StreamName } from './streams';
import { Subjects, type Subject } from './subjects';

/** The services that talk to NATS (each has a NATS user of this name). */
export const SERVICES = ['auth', 'tickets', 'orders', 'payments', 'expiration'] as const;
export type ServiceName = (typeof SERVICES)[number];

/**
 * Services that only watch event streams: they publish nothing and have no durable consumer,
 * only ephemeral ones that read (the live updates service pushes what happens to browsers).
 * Their NATS users get read-only rights on exactly these streams (nats/permissions.ts).
 */
export const OBSERVERS = { live: ['TICKETS', 'ORDERS', 'PAYMENTS'] } as const satisfies Record<string, readonly StreamName[]>;
export type ObserverName = keyof typeof OBSERVERS;
export const OBSERVER_NAMES = Object.keys(OBSERVERS) as ObserverName[];

export interface SubjectRoute {
  /** The one service that publishes the subject. */
  owner: ServiceName;
  /** The services that consume it, one durable consumer each. */
  consumers: readonly ServiceName[];
}

/**
 * Who publishes and who consumes each subject. The NATS permissions are derived from it
 * (a service publishes only what it owns and consumes only what it is listed for), so a
 * listener that is not listed here cannot get its consumer: startEventRuntime refuses it.
 */
export const EVENT_ROUTES: Record<Subject, SubjectRoute> = {
  [Subjects.TicketCreated]: { owner: 'tickets', consumers: ['orders'] },
  [Subjects.TicketUpdated]: { owner: 'tickets', consumers: ['orders'] },
  [Subjects.TicketReservationRefused]: { owner: 'tickets', consumers: ['orders'] },
  [Subjects.OrderCreated]: { owner: 'orders', consumers: ['tickets', 'payments', 'expiration'] },
  [Subjects.OrderAwaitingPayment]: { owner: 'orders', consumers: ['payments'] },
  [Subjects.OrderCancelled]: { owner: 'orders', consumers: ['tickets', 'payments'] },
  [Subjects.OrderCompleted]: { owner: 'orders', consumers: ['payments', 'tickets'] },
  [Subjects.WaitlistChanged]: { owner: 'orders', consumers: [] },
  [Subjects.ExpirationComplete]: { owner: 'expiration', consumers: ['orders'] },
  [Subjects.PaymentCreated]: { owner: 'payments', consumers: ['orders'] },
  [Subjects.PaymentCaptured]: { owner: 'payments', consumers: ['orders'] },
  [Subjects.PaymentVoided]: { owner: 'payments', consumers: ['orders'] },
  [Subjects.PaymentRefunded]: { owner: 'payments', consumers: ['orders'] },
};

const routes = Object.entries(EVENT_ROUTES) as [Subject, SubjectRoute][];

export function subjectsOwnedBy(service: string): Subject[] {
  return routes.filter(([, r]) => r.owner === service).map(([s]) => s);
}

export function subjectsConsumedBy(service: string): Subject[] {
  return routes.filter(([, r]) => r.consumers.includes(service as ServiceName)).map(([s]) => s);
}

/**
 * The event streams whose subjects `service` owns: it creates and updates them. (Every
 * subject of a stream has the same owner; the catalog test checks it.) DEADLETTER is
 * nobody's: any consuming service may create it, only an operator changes it.
 */
export function streamsOwnedBy(service: string): StreamName[] {
  const owned = new Set(subjectsOwnedBy(service).map((s) => streamForSubject(s)));
  return (Object.keys(STREAMS) as StreamName[]).filter((name) => owned.has(name));
}
