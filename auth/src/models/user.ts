import { toJSONPlugin } from '@ticketing/common';
import mongoose, { Schema, type Model } from 'mongoose';

export interface UserAttrs {
  /** Trimmed and lower-cased; unique. */
  email: string;
  /** scrypt hash (see domain/password.ts); never in an answer or a log. */
  passwordHash: string;
}

const schema = new Schema<UserAttrs>(
  {
    email: { type: String, required: true, trim: true, lowercase: true, maxlength: 254 },
    passwordHash: { type: String, required: true },
  },
  { timestamps: true },
);
// The unique index, not a read-then-insert check, decides a sign-up race: one insert wins,
// the others get E11000.
schema.index({ email: 1 }, { unique: true });
toJSONPlugin(schema, { hidden: ['passwordHash', 'createdAt', 'updatedAt'] });

export const User = (mongoose.models.User as Model<UserAttrs> | undefined) ?? mongoose.model<UserAttrs>('User', schema);
