import type { AnyKeys, Model } from 'mongoose';
import { isDuplicateKeyError } from './duplicate-key';

/**
 * Inserts `doc` unless a unique index already holds its key: true when this call inserted it,
 * false when it was there already (a redelivered event, or a concurrent insert that won).
 * The index decides, not a read before the write, so racing callers insert exactly once.
 * (The type parameters only let any model, whatever its mongoose generics, be passed.)
 */
export async function insertOrIgnore<T, Q, I, V, H>(model: Model<T, Q, I, V, H>, doc: AnyKeys<T>): Promise<boolean> {
  try {
    await model.create(doc);
    return true;
  } catch (err) {
    if (!isDuplicateKeyError(err)) throw err;
    return false;
  }
}
