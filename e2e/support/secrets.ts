/** Log lines (of the stack's processes) that contain any of `secrets`, with what they contain. */
export function linesWithSecrets(lines: { name: string; line: string }[], secrets: Record<string, string>): string[] {
  const wanted = Object.entries(secrets).filter(([, v]) => v.length >= 6);
  const found: string[] = [];
  for (const { name, line } of lines) {
    for (const [label, value] of wanted) {
      if (line.includes(value)) found.push(`${name}: contains ${label}: ${line.slice(0, 300)}`);
    }
  }
  return found;
}

/** A private key PEM as log-searchable secrets: each of its base64 lines (a log would escape the newlines). */
export function pemSecrets(label: string, pem: string): Record<string, string> {
  const lines = pem.split('\n').filter((l) => l && !l.startsWith('-----'));
  return Object.fromEntries(lines.map((l, i) => [`${label} (line ${i + 1})`, l]));
}

/**
 * The secrets in a user's Cookie header (`session=…; refresh=…`): the session cookie, the
 * session token inside it, and the refresh token. None may appear in a log line.
 */
export function cookieSecrets(label: string, cookieHeader: string): Record<string, string> {
  const pairs = new Map(cookieHeader.split('; ').filter(Boolean).map((c) => [c.slice(0, c.indexOf('=')), c.slice(c.indexOf('=') + 1)] as const));
  const out: Record<string, string> = {};
  const session = pairs.get('session');
  if (session) {
    out[`session cookie of ${label}`] = session;
    try {
      out[`session token of ${label}`] = String((JSON.parse(Buffer.from(session, 'base64').toString('utf8')) as { jwt: string }).jwt);
    } catch {
      // not a cookie-session value: the cookie itself is the secret
    }
  }
  const refresh = pairs.get('refresh');
  if (refresh) out[`refresh token of ${label}`] = refresh;
  return out;
}
