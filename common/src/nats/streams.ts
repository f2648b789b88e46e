import {
  DiscardPolicy,
  RetentionPolicy,
  StorageType,
  nanos,
  type JetStreamManager,
  type StreamConfig,
} from 'nats';
import { STREAMS } from '../events/streams';

const DAY_MS = 24 * 60 * 60 * 1000;

/** Defaults: file storage, long enough retention to rebuild a replica, 2-minute dedupe. */
export function streamConfig(name: string, subjects: readonly string[]): Partial<StreamConfig> & { name: string } {
  return {
    name,
    subjects: [...subjects],
    storage: StorageType.File,
    retention: RetentionPolicy.Limits,
    discard: DiscardPolicy.Old,
    max_age: nanos(30 * DAY_MS),
    duplicate_window: nanos(2 * 60 * 1000),
    num_replicas: Number(process.env.NATS_STREAM_REPLICAS ?? 1),
  };
}

/** Creates every stream of the catalog, or updates it to the current config. Idempotent. */
export async function ensureStreams(jsm: JetStreamManager): Promise<void> {
  for (const [name, subjects] of Object.entries(STREAMS)) {
    const config = streamConfig(name, subjects);
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

export function isNotFound(err: unknown): boolean {
  return /not found/i.test(String((err as Error)?.message ?? err));
}
