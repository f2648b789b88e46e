import type { Schema } from 'mongoose';

/**
 * JSON shape of documents in API answers: `id` instead of `_id`, no internal fields
 * (`outbox`, `__v`, and any named in `hidden`).
 */
export function toJSONPlugin(schema: Schema, options?: { hidden?: string[] }): void {
  const hidden = ['outbox', '__v', ...(options?.hidden ?? [])];
  schema.set('toJSON', {
    versionKey: false,
    transform(_doc, ret: Record<string, unknown>) {
      ret.id = String(ret._id);
      delete ret._id;
      for (const key of hidden) delete ret[key];
      return ret;
    },
  });
}
