import type { Model } from 'mongoose';
import { RetryLaterError } from '../nats/failure-kind';

/**
 * What applying an event at some version did to a replica:
 * - `applied`: it was the next version; the replica has it now.
 * - `current`: the replica is at this version already (a redelivery of the event it applied).
 * - `stale`: the replica is past this version (an older copy; it no longer describes the entity).
 */
export type ReplicaVersionOutcome = 'applied' | 'current' | 'stale';

export interface ReplicaEvent {
  /** The replicated entity's id (the replica document's `_id`). */
  id: string;
  version: number;
  /** The fields the event sets; `version` is set with them. */
  fields: Record<string, unknown>;
}

/**
 * The replica update rule (DESIGN.md §4), in one conditional write filtered on
 * `version: event.version - 1`. When that misses, one read tells a duplicate (`current`,
 * `stale`: ack without change) from an event that is ahead of the replica, or of an entity
 * the replica does not hold yet: that one throws RetryLaterError, so the listener retries it
 * (never dead-letters it) until the versions before it have arrived. `entity` names the
 * entity in that message ("ticket", "order").
 */
export async function applyNextVersion<T extends { version: number }, Q, I, V, H>(
  model: Model<T, Q, I, V, H>,
  entity: string,
  { id, version, fields }: ReplicaEvent,
): Promise<ReplicaVersionOutcome> {
  const applied = await model.updateOne({ _id: id, version: version - 1 }, { $set: { ...fields, version } });
  if (applied.matchedCount === 1) return 'applied';
  const replica = await model.findById(id, { version: 1 }).lean<{ version: number }>();
  if (!replica) throw new RetryLaterError(`${entity} ${id} is not in the replica yet (version ${version} arrived first)`);
  if (replica.version === version) return 'current';
  if (replica.version > version) return 'stale';
  throw new RetryLaterError(`${entity} ${id} is at version ${replica.version}; version ${version} must wait for the ones before it`);
}
