/**
 * Where to go after signing in or up: the `?next=` path when it is a path of this site, else
 * the home page. Only same-origin relative paths pass: `//evil.com` (protocol-relative),
 * `/\evil.com` (browsers read `\` as `/`), `https://…` and anything with control characters
 * would send a freshly signed-in user to another site (an open redirect).
 */
export function safeNextPath(raw: string | string[] | undefined | null): string {
  if (typeof raw !== 'string' || raw === '') return '/';
  if (!raw.startsWith('/') || raw.startsWith('//') || raw.includes('\\')) return '/';
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(raw)) return '/';
  let url: URL;
  try {
    url = new URL(raw, 'http://same.origin');
  } catch {
    return '/';
  }
  if (url.origin !== 'http://same.origin') return '/';
  // Back to a sign-in or sign-out page would undo what the user just did.
  if (url.pathname.startsWith('/auth/')) return '/';
  return `${url.pathname}${url.search}${url.hash}`;
}

/** The sign-in (or sign-up) page that comes back to `path` afterwards. */
export function signInHref(path: string, page: 'signin' | 'signup' = 'signin'): string {
  const next = safeNextPath(path);
  return next === '/' ? `/auth/${page}` : `/auth/${page}?next=${encodeURIComponent(next)}`;
}
