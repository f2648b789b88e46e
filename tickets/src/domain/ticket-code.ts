import { publicJwkOf, publicKeyOf, verifyEs256, ES256, type Es256SigningKey } from '@ticketing/common';
import { signEs256 } from '@ticketing/common/signing';

/** What an e-ticket code says: this ticket, this delivery of it, to this holder. */
export interface TicketCodeClaims {
  /** Ticket id. */
  tid: string;
  /** The ticket's delivery the code was issued for: any later delivery or resale supersedes it. */
  d: number;
  /** The holder it was delivered to. */
  h: string;
}

/** A code for the ticket's current delivery: a compact JWS (ES256, `kid` header), payload `{tid, d, h, iat}`. */
export function signTicketCode(claims: TicketCodeClaims, key: Es256SigningKey): string {
  return signEs256({ tid: claims.tid, d: claims.d, h: claims.h }, key);
}

/** The claims of a code this service signed, or null (bad format or signature, another key, wrong shapes). */
export function readTicketCode(code: string, key: Es256SigningKey): TicketCodeClaims | null {
  const payload = verifyEs256(code, new Map([[key.kid, publicKeyOf(key.privateKey)]]));
  if (!payload) return null;
  const { tid, d, h } = payload;
  if (typeof tid !== 'string' || typeof h !== 'string' || !Number.isInteger(d)) return null;
  return { tid, d: d as number, h };
}

/** The verifying keys a scanner needs (JWK, as in a JWKS). */
export function codeVerifyingKeys(key: Es256SigningKey | undefined) {
  return { keys: key ? [{ kid: key.kid, alg: ES256, jwk: { ...publicJwkOf(key.privateKey), kid: key.kid, alg: ES256, use: 'sig' } }] : [] };
}
