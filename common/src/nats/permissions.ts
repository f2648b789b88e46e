import { SERVICES, streamsOwnedBy, subjectsConsumedBy, subjectsOwnedBy, type ServiceName } from '../events/catalog';
import { streamForSubject } from '../events/streams';
import { DEADLETTER_STREAM } from './dead-letter';
import { durableName } from './listener';

/** The operator's user (streams, dead-letter replay, tests' and benchmarks' read-back): may do anything. */
export const NATS_ADMIN_USER = 'admin';
export type NatsUser = ServiceName | typeof NATS_ADMIN_USER;
export const NATS_USERS: readonly NatsUser[] = [...SERVICES, NATS_ADMIN_USER];

export interface NatsPermissions {
  publish: string[];
  subscribe: string[];
}

/**
 * Where a user's replies arrive (JetStream API answers, pulled messages, publish acks). Each
 * user subscribes only under its own prefix, so no service reads another's replies.
 */
export function natsInboxPrefix(user: string): string {
  return `_INBOX_${user}`;
}

/**
 * What `service` may publish and subscribe to, derived from the event catalog:
 * - publish the subjects it owns, and create/update/inspect their streams;
 * - for each subject it consumes, create exactly its durable consumer (name and filter are
 *   in the API subject, and the server checks the filter against the request), read it,
 *   pull from it and ack its messages;
 * - record dead letters under `deadletter.<service>.>`, create the DEADLETTER stream if it
 *   is missing and read its size (the dead-letter gauge);
 * - `$JS.API.INFO` (the client's API check) and replies under its own inbox prefix.
 * Nothing else: no core subscriptions to event subjects, no other consumer, no message
 * look-ups, no deletes or purges.
 */
export function natsPermissions(service: ServiceName): NatsPermissions {
  const publish = ['$JS.API.INFO', `$JS.API.STREAM.INFO.${DEADLETTER_STREAM}`];
  for (const stream of streamsOwnedBy(service)) {
    publish.push(`$JS.API.STREAM.CREATE.${stream}`, `$JS.API.STREAM.UPDATE.${stream}`, `$JS.API.STREAM.INFO.${stream}`);
  }
  publish.push(...subjectsOwnedBy(service));
  const consumed = subjectsConsumedBy(service);
  for (const subject of consumed) {
    const stream = streamForSubject(subject);
    const durable = durableName(service, subject);
    publish.push(
      `$JS.API.CONSUMER.CREATE.${stream}.${durable}.${subject}`,
      `$JS.API.CONSUMER.INFO.${stream}.${durable}`,
      `$JS.API.CONSUMER.MSG.NEXT.${stream}.${durable}`,
      `$JS.ACK.${stream}.${durable}.>`,
    );
  }
  if (consumed.length > 0) publish.push(`$JS.API.STREAM.CREATE.${DEADLETTER_STREAM}`, `deadletter.${service}.>`);
  return { publish, subscribe: [`${natsInboxPrefix(service)}.>`] };
}
