import mongoose, { Schema, type Model } from 'mongoose';

/**
 * One sign-in: the refresh-token family it started. Only hashes of refresh tokens are kept
 * (SHA-256: the tokens are 256 random bits, so a slow hash adds nothing). `tokenHash` is the
 * one token that may be used next; `usedHashes` the ones already rotated away, so that a
 * replayed old token is recognised as theft and revokes the family.
 */
export interface SessionFamilyAttrs {
  userId: string;
  email: string;
  tokenHash: string;
  usedHashes: string[];
  /** The family's end, fixed at sign-in: rotating never extends it. */
  expiresAt: Date;
  /** Set by sign-out or by a reused token; a revoked family never refreshes again. */
  revokedAt?: Date | null;
  revokedReason?: 'signout' | 'reuse' | null;
}

const schema = new Schema<SessionFamilyAttrs>(
  {
    userId: { type: String, required: true },
    email: { type: String, required: true },
    tokenHash: { type: String, required: true },
    usedHashes: { type: [String], default: [] },
    expiresAt: { type: Date, required: true },
    revokedAt: { type: Date, default: null },
    revokedReason: { type: String, default: null },
  },
  { timestamps: true },
);
// MongoDB deletes a family a day after it ended (the stand-in keeps it: harmless, it is expired).
schema.index({ expiresAt: 1 }, { expireAfterSeconds: 24 * 3600 });

export const SessionFamily =
  (mongoose.models.SessionFamily as Model<SessionFamilyAttrs> | undefined) ?? mongoose.model<SessionFamilyAttrs>('SessionFamily', schema);
