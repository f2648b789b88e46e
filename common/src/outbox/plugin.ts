import { EventEmitter } from 'node:events';
import { Schema, type Document } from 'mongoose';

/** Process-local signal: a document with outbox entries was just written. */
export const outboxSignal = new EventEmitter();
outboxSignal.setMaxListeners(0);

export interface OutboxWrite {
  model: string;
  /** The written document's _id as a string; undefined: unknown (scan the model). */
  id: string | undefined;
}

type Written = { _id?: unknown; outbox?: unknown[]; constructor: unknown } | null | undefined;

const modelOf = (doc: { constructor: unknown }) => (doc.constructor as { modelName: string }).modelName;

function signal(doc: Written, modelName: string) {
  if (!doc) return;
  const outbox = doc.outbox;
  if (Array.isArray(outbox) && outbox.length === 0) return;
  // An ObjectId or a string: either prints its value.
  const id = doc._id == null ? undefined : (doc._id as { toString(): string }).toString();
  outboxSignal.emit('write', { model: modelName, id } satisfies OutboxWrite);
}

const outboxEntrySchema = new Schema(
  { id: { type: String, required: true }, subject: { type: String, required: true }, data: Schema.Types.Mixed, at: Date, trace: Schema.Types.Mixed },
  { _id: false },
);

/**
 * The `outbox` path, to spread into a schema's definition so that the model's type has it:
 * mongoose 9 types `create()` by the schema's own paths, so an outbox written with the
 * document must be one of them (outboxPlugin adds the path to a schema that lacks it).
 */
export const outboxField = { outbox: { type: [outboxEntrySchema], default: [] } };

/**
 * Adds an `outbox` array to a schema (unless its definition has `outboxField`). State changes
 * push their events into it in the same single-document write (no multi-document transactions
 * needed), and the OutboxRelay publishes and removes them. Writes wake the relay at once;
 * polling covers the rest (other processes, a restart after a crash).
 */
export function outboxPlugin(schema: Schema): void {
  if (!schema.path('outbox')) schema.add(outboxField);

  schema.post('save', function (doc) {
    signal(doc, modelOf(doc));
  });
  schema.post('findOneAndUpdate', function (doc) {
    // mongoose types a query hook's result as any: it is the updated document (or null).
    signal(doc as Written, this.model.modelName);
  });
  // mongoose 9 types insertMany's post-hook result as the model; at run time it is the inserted documents.
  schema.post('insertMany', function (docs: unknown) {
    for (const doc of Array.isArray(docs) ? (docs as Document[]) : []) signal(doc, modelOf(doc));
  });
  schema.post(['updateOne', 'updateMany'], function () {
    const update = this.getUpdate() as { $push?: { outbox?: unknown } } | null;
    if (update?.$push?.outbox === undefined) return; // e.g. the relay's own $pull
    outboxSignal.emit('write', { model: this.model.modelName, id: undefined } satisfies OutboxWrite);
  });
}
