import { randomObjectId } from '@ticketing/common/testing';
import { JSONCodec } from 'nats';

/** Which services consume each subject (one durable consumer each): where a bad event is dead-lettered. */
export const CONSUMERS: Record<string, string[]> = {
  'ticket.created': ['orders'],
  'ticket.updated': ['orders'],
  'order.created': ['tickets', 'payments', 'expiration'],
  'order.awaiting-payment': ['payments'],
  'order.cancelled': ['tickets', 'payments'],
  'order.completed': ['payments'],
  'expiration.complete': ['orders'],
  'payment.created': ['orders'],
  'payment.captured': ['orders'],
  'payment.voided': ['orders'],
  'payment.refunded': ['orders'],
  'ticket.reservation-refused': ['orders'],
};

export interface GarbageEvent {
  /** The dead-letter reason it must get. */
  kind: 'malformed-json' | 'invalid-payload';
  data: Uint8Array;
}

const codec = JSONCodec();

/**
 * Messages for `subject` that can never be handled: not JSON, or JSON that does not match
 * the event's schema (wrong types, an operator, a prototype-polluting key, 200 kB). Each
 * carries `nonce`, so its dead letter can be told from any other.
 */
export function garbageEvents(subject: string, nonce: string): GarbageEvent[] {
  return [
    { kind: 'malformed-json', data: Buffer.from(`{"nonce":"${nonce}", not json at all`) },
    { kind: 'invalid-payload', data: codec.encode({ nonce, id: 'not-an-id', version: -1, subject }) },
    { kind: 'invalid-payload', data: codec.encode([nonce, { $gt: '' }]) },
    {
      kind: 'invalid-payload',
      data: Buffer.from(
        `{"nonce":"${nonce}","__proto__":{"polluted":true},"id":"${randomObjectId()}","version":-1,"ticket":{"id":"${randomObjectId()}","price":-5}}`,
      ),
    },
    { kind: 'malformed-json', data: Buffer.from(`${nonce}${'x'.repeat(200 * 1024)}`) },
  ];
}
