import { createHash, randomBytes } from 'node:crypto';
import { Types } from 'mongoose';
import { SessionFamily } from '../models/session-family';

/**
 * Rotating refresh tokens. A token is `<family id>.<256 random bits>`; the family id only
 * says which document to look at, the random part is the secret. Every successful use
 * replaces the token (one atomic conditional write); presenting a token that was already
 * rotated away means two parties hold the family's tokens, so the whole family is revoked.
 */

/** At most this many rotated-away hashes are remembered per family (older replays just fail). */
const USED_HASHES_KEPT = 2000;

export interface SessionOwner {
  id: string;
  email: string;
}

const hashOf = (token: string) => createHash('sha256').update(token).digest('hex');
const newSecret = () => randomBytes(32).toString('base64url');
const TOKEN = /^([0-9a-f]{24})\.([\w-]{43})$/;

/** The family id of a well-formed token, else null. */
function familyIdOf(token: string): string | null {
  return TOKEN.exec(token)?.[1] ?? null;
}

/** Starts the family of a new sign-in; returns its id (the session's `sid`), first token and end. */
export async function startFamily(owner: SessionOwner, lifetimeSeconds: number): Promise<{ sid: string; token: string; expiresAt: Date }> {
  const sid = new Types.ObjectId().toHexString();
  const token = `${sid}.${newSecret()}`;
  const expiresAt = new Date(Date.now() + lifetimeSeconds * 1000);
  await SessionFamily.create({ _id: sid, userId: owner.id, email: owner.email, tokenHash: hashOf(token), expiresAt });
  return { sid, token, expiresAt };
}

export type RotationResult =
  | { ok: true; owner: SessionOwner; sid: string; token: string; expiresAt: Date }
  | { ok: false; reason: 'malformed' | 'unknown' | 'revoked' | 'expired' | 'reused' };

/** Exchanges a refresh token for its successor, or says why not (a reuse revokes the family). */
export async function rotate(token: string): Promise<RotationResult> {
  const sid = familyIdOf(token);
  if (!sid) return { ok: false, reason: 'malformed' };
  const presented = hashOf(token);
  const next = `${sid}.${newSecret()}`;
  const family = await SessionFamily.findOneAndUpdate(
    { _id: sid, tokenHash: presented, revokedAt: null, expiresAt: { $gt: new Date() } },
    { $set: { tokenHash: hashOf(next) }, $push: { usedHashes: { $each: [presented], $slice: -USED_HASHES_KEPT } } },
    { returnDocument: 'after' },
  ).lean();
  if (family) return { ok: true, owner: { id: family.userId, email: family.email }, sid, token: next, expiresAt: family.expiresAt };

  // Not the current token of a live family: find out why, and revoke on a replay.
  const reused = await SessionFamily.findOneAndUpdate(
    { _id: sid, usedHashes: presented, revokedAt: null },
    { $set: { revokedAt: new Date(), revokedReason: 'reuse' } },
  ).lean();
  if (reused) return { ok: false, reason: 'reused' };
  const known = await SessionFamily.findOne({ _id: sid, $or: [{ tokenHash: presented }, { usedHashes: presented }] }).lean();
  if (!known) return { ok: false, reason: 'unknown' };
  return { ok: false, reason: known.revokedAt ? 'revoked' : 'expired' };
}

/** Sign-out: the family `sid` (named by a genuine session token) can never refresh again. */
export async function revokeFamily(sid: string, reason: 'signout' | 'reuse' = 'signout'): Promise<void> {
  if (!Types.ObjectId.isValid(sid)) return;
  await SessionFamily.updateOne({ _id: sid, revokedAt: null }, { $set: { revokedAt: new Date(), revokedReason: reason } });
}
