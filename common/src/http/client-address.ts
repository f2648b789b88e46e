import { isIPv4, isIPv6 } from 'node:net';

/** Longest key kept for an address that is not an IP (a proxy misconfiguration): bounded keys. */
const MAX_OPAQUE_KEY = 64;

/**
 * The key a rate limit counts a client under, from `req.ip` (Express has already applied
 * `trust proxy`: the address the nearest trusted proxy saw).
 *
 * - IPv4 as is: `203.0.113.7`.
 * - IPv4-mapped IPv6 (`::ffff:203.0.113.7`, also spelled `::ffff:cb00:7107`) is that IPv4
 *   address: a dual-stack socket reports IPv4 clients this way, and one client must not
 *   have two counters.
 * - Any other IPv6 address counts by its /64: a single subscriber usually gets a whole /64
 *   (often more) and can pick any of its 2^64 addresses, so counting per address would be
 *   no limit at all. Key: `2001:db8:1:2::/64`.
 * - Anything else (absent, or not an IP) falls into one bounded opaque key.
 */
export function clientAddressKey(ip: string | undefined): string {
  const raw = (ip ?? '').trim().toLowerCase();
  if (isIPv4(raw)) return raw;
  // A zone index (`fe80::1%eth0`) names the local interface, not the client.
  const address = raw.replace(/%.*$/, '');
  if (isIPv6(address)) {
    const groups = ipv6Groups(address);
    if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
      return [groups[6] >> 8, groups[6] & 0xff, groups[7] >> 8, groups[7] & 0xff].join('.');
    }
    return `${groups.slice(0, 4).map((g) => g.toString(16)).join(':')}::/64`;
  }
  return raw === '' ? 'unknown' : `other:${raw.slice(0, MAX_OPAQUE_KEY)}`;
}

/** The eight 16-bit groups of a valid IPv6 address (`::` expanded, a dotted IPv4 tail converted). */
function ipv6Groups(address: string): number[] {
  const toGroups = (part: string): number[] => {
    if (part === '') return [];
    return part.split(':').flatMap((piece) => {
      if (!piece.includes('.')) return [parseInt(piece, 16)];
      const [a, b, c, d] = piece.split('.').map(Number);
      return [(a << 8) | b, (c << 8) | d];
    });
  };
  const [head, tail] = address.split('::');
  const first = toGroups(head);
  if (tail === undefined) return first;
  const last = toGroups(tail);
  return [...first, ...Array<number>(8 - first.length - last.length).fill(0), ...last];
}
