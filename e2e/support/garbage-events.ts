import { EVENT_ROUTES } from '@ticketing/common';
import { randomObjectId } from '@ticketing/dev-servers';
import { JSONCodec } from 'nats';

/**
 * Which services consume each consumed subject (one durable consumer each): where a bad event
 * is dead-lettered. From the event catalog, which also sets the NATS permissions.
 */
export const CONSUMERS: Record<string, string[]> = Object.fromEntries(
  Object.entries(EVENT_ROUTES)
    .filter(([, route]) => route.consumers.length > 0)
    .map(([subject, route]) => [subject, [...route.consumers]]),
);

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
