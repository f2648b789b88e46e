import { randomBytes } from 'node:crypto';

export interface CallResult<T = unknown> {
  /** HTTP status, or 0 when no answer came (connection refused or reset, timeout). */
  status: number;
  body: T;
  headers?: Headers;
  /** Set when status is 0. */
  error?: string;
}

/**
 * A user speaking HTTP to the gateway with their own session cookie. Unlike `Shopper`, a
 * call never throws: an outage is an answer (status 0) the caller counts, and every call has
 * a timeout. `headers` go with every request (e.g. `X-Forwarded-Proto: https`).
 */
export class Actor {
  cookie = '';
  id = '';
  readonly email: string;

  constructor(
    private readonly base: string,
    readonly password: string,
    private readonly headers: Record<string, string> = {},
    email?: string,
  ) {
    this.email = email ?? `${randomBytes(6).toString('hex')}@e2e.example`;
  }

  async call<T = unknown>(method: string, path: string, body?: unknown, timeoutMs = 10_000): Promise<CallResult<T>> {
    let res: Response;
    try {
      res = await fetch(`${this.base}${path}`, {
        method,
        headers: {
          ...this.headers,
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...(this.cookie ? { cookie: this.cookie } : {}),
        },
        body: body !== undefined ? JSON.stringify(body) : undefined,
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (err) {
      const e = err as Error & { cause?: { code?: string } };
      return { status: 0, body: undefined as T, error: e.cause?.code ?? e.name ?? String(err) };
    }
    const setCookie = res.headers.getSetCookie();
    if (setCookie.length) this.cookie = setCookie.map((c) => c.split(';')[0]).join('; ');
    let text = '';
    try {
      text = await res.text();
    } catch (err) {
      return { status: 0, body: undefined as T, error: `body: ${(err as Error).name}` };
    }
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = text;
    }
    return { status: res.status, body: parsed as T, headers: res.headers };
  }

  /** Signs up; true on 201 (the id is then known). */
  async signup(): Promise<CallResult<{ id: string }>> {
    const res = await this.call<{ id: string }>('POST', '/api/users/signup', { email: this.email, password: this.password });
    if (res.status === 201) this.id = res.body.id;
    return res;
  }
}
