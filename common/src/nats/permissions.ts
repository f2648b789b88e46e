import {
  EVENT_ROUTES,
  OBSERVER_NAMES,
  OBSERVERS,
  SERVICES,
  streamsOwnedBy,
  subjectsConsumedBy,
  subjectsOwnedBy,
  type ObserverName,
  type ServiceName,
} from '../events/catalog';
import { ALL_SUBJECTS, streamForSubject } from '../events/streams';
import { DEADLETTER_STREAM } from './dead-letter';
import { durableName } from './listener';

/** The operator's user (streams, dead-letter replay, tests' and benchmarks' read-back): may do anything. */
export const NATS_ADMIN_USER = 'admin';
export type NatsUser = ServiceName | ObserverName | typeof NATS_ADMIN_USER;
export const NATS_USERS: readonly NatsUser[] = [...SERVICES, ...OBSERVER_NAMES, NATS_ADMIN_USER];

export interface NatsPermissions {
  publish: string[];
  /** Subjects refused even where `publish` allows them (the server's `deny` wins). */
  denyPublish?: string[];
  subscribe: string[];
}

const isObserver = (user: string): user is ObserverName => (OBSERVER_NAMES as string[]).includes(user);

/** The permissions of a NATS user other than admin: a service's or an observer's. */
export function natsUserPermissions(user: Exclude<NatsUser, typeof NATS_ADMIN_USER>): NatsPermissions {
  return isObserver(user) ? natsObserverPermissions(user) : natsPermissions(user);
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

/**
 * What an observer (OBSERVERS in the catalog, e.g. live) may do on each stream it watches:
 * - read the stream's state (`STREAM.INFO`: where it ends);
 * - create consumers only through the ephemeral-only API subject `$JS.API.CONSUMER.CREATE.<stream>`
 *   (the server refuses a durable name there, and names the consumer itself);
 * - pull from, inspect and delete consumers of the stream, except the services' durables (the
 *   catalog names them): an observer never takes or acks another service's messages.
 * Nothing else: no event subject, no durable consumer, no stream changes, no dead letters.
 */
export function natsObserverPermissions(observer: ObserverName): NatsPermissions {
  const publish = ['$JS.API.INFO'];
  const denyPublish: string[] = [];
  for (const stream of OBSERVERS[observer]) {
    publish.push(
      `$JS.API.STREAM.INFO.${stream}`,
      `$JS.API.CONSUMER.CREATE.${stream}`,
      `$JS.API.CONSUMER.MSG.NEXT.${stream}.*`,
      `$JS.API.CONSUMER.INFO.${stream}.*`,
      `$JS.API.CONSUMER.DELETE.${stream}.*`,
    );
    for (const subject of ALL_SUBJECTS.filter((s) => streamForSubject(s) === stream)) {
      for (const service of EVENT_ROUTES[subject].consumers) {
        const durable = durableName(service, subject);
        denyPublish.push(
          `$JS.API.CONSUMER.MSG.NEXT.${stream}.${durable}`,
          `$JS.API.CONSUMER.INFO.${stream}.${durable}`,
          `$JS.API.CONSUMER.DELETE.${stream}.${durable}`,
        );
      }
    }
  }
  return { publish, denyPublish, subscribe: [`${natsInboxPrefix(observer)}.>`] };
}
