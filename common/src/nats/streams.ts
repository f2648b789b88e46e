import {
  DiscardPolicy,
  RetentionPolicy,
  StorageType,
  nanos,
  type JetStreamManager,
  type StreamConfig,
} from 'nats';
import { streamsOwnedBy, subjectsConsumedBy } from '../events/catalog';
import { STREAMS, type StreamName } from '../events/streams';
import { DEADLETTER_STREAM } from './dead-letter';

const DAY_MS = 24 * 60 * 60 * 1000;

/** Defaults: file storage, long enough retention to rebuild a replica, 2-minute dedupe; `replicas` is NATS_STREAM_REPLICAS. */
export function streamConfig(name: string, subjects: readonly string[], replicas = 1): Partial<StreamConfig> & { name: string } {
  return {
    name,
    subjects: [...subjects],
    storage: StorageType.File,
    retention: RetentionPolicy.Limits,
    discard: DiscardPolicy.Old,
    max_age: nanos(30 * DAY_MS),
    duplicate_window: nanos(2 * 60 * 1000),
    num_replicas: replicas,
  };
}

/**
 * Creates each of `names` (default: every stream of the catalog), or updates it to the
 * current config. Idempotent. Needs the rights to create and update them: the admin user's,
 * or a service's for the streams it owns (ensureServiceStreams).
 */
export async function ensureStreams(
  jsm: JetStreamManager,
  names: readonly StreamName[] = Object.keys(STREAMS) as StreamName[],
  replicas = 1,
): Promise<void> {
  for (const name of names) {
    const config = streamConfig(name, STREAMS[name], replicas);
    try {
      await jsm.streams.info(name);
      await jsm.streams.update(name, config);
    } catch (err) {
      if (!isNotFound(err)) throw err;
      try {
        await jsm.streams.add(config);
      } catch (addErr) {
        // Another replica created it between our look-up and our add.
        if (!/already in use|exists/i.test(String(addErr))) throw addErr;
      }
    }
  }
}

/**
 * What a service provisions at start with its own NATS user: the streams of the subjects it
 * owns (created or updated), and the DEADLETTER stream if it consumes anything and the
 * stream is missing (it may create it, not change it: that is the operator's). A service
 * consuming a stream waits for its owner to create it (ListenerRunner.start).
 */
export async function ensureServiceStreams(jsm: JetStreamManager, service: string, replicas = 1): Promise<void> {
  await ensureStreams(jsm, streamsOwnedBy(service), replicas);
  if (subjectsConsumedBy(service).length === 0) return;
  try {
    await jsm.streams.add(streamConfig(DEADLETTER_STREAM, STREAMS.DEADLETTER, replicas));
  } catch (err) {
    // Already there (created by another service, or changed by the operator): leave it.
    if (!/already in use|exists/i.test(String(err))) throw err;
  }
}

/** A JetStream error saying that the stream itself does not exist (not only a consumer). */
export function isStreamNotFound(err: unknown): boolean {
  return /stream not found/i.test(String((err as Error)?.message ?? err));
}

export function isNotFound(err: unknown): boolean {
  return /not found/i.test(String((err as Error)?.message ?? err));
}
