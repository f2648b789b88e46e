// The e-ticket code is a compact JWS (header.payload.signature, base64url) whose payload is
// `{tid, d, h, iat}`. The scanner only needs the ticket id from it to know where to send the
// check-in; the tickets service verifies the signature and everything else.

function base64UrlToText(part: string): string {
  const base64 = part.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(part.length / 4) * 4, '=');
  const binary = atob(base64);
  const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
  return new TextDecoder().decode(bytes);
}

/** The ticket id a code claims to be for, or null when the text is not a ticket code at all. */
export function ticketIdOfCode(code: string): string | null {
  const parts = code.trim().split('.');
  if (parts.length !== 3 || parts.some((p) => !/^[A-Za-z0-9_-]+$/.test(p))) return null;
  try {
    const payload = JSON.parse(base64UrlToText(parts[1])) as { tid?: unknown };
    return typeof payload.tid === 'string' && /^[A-Za-z0-9_-]{1,64}$/.test(payload.tid) ? payload.tid : null;
  } catch {
    return null;
  }
}
