import { randomBytes } from 'node:crypto';
import { NoAnswerError, requestJson } from '@ticketing/local';

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
    try {
      const res = await requestJson<T>(this.base, method, path, { body, cookie: this.cookie || undefined, headers: this.headers, timeoutMs });
      if (res.setCookie) this.cookie = res.setCookie;
      return { status: res.status, body: res.body, headers: res.headers };
    } catch (err) {
      if (err instanceof NoAnswerError) return { status: 0, body: undefined as T, error: err.reason };
      throw err;
    }
  }

  /** Signs up; true on 201 (the id is then known). */
  async signup(): Promise<CallResult<{ id: string }>> {
    const res = await this.call<{ id: string }>('POST', '/api/users/signup', { email: this.email, password: this.password });
    if (res.status === 201) this.id = res.body.id;
    return res;
  }
}
