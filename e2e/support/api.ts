import { randomBytes } from 'node:crypto';
import { requestJson } from '@ticketing/local';

export { sumMetric } from '@ticketing/local';

/** A user of the system, speaking HTTP to the gateway with their own cookie. */
export class Shopper {
  cookie = '';
  id = '';
  readonly email = `${randomBytes(5).toString('hex')}@e2e.example`;

  /** `headers`: sent with every request (e.g. a `traceparent`, so all of them join one trace). */
  constructor(
    private readonly base: string,
    private readonly headers: Record<string, string> = {},
  ) {}

  /** One JSON request; throws when no answer comes (a test's stack is up). */
  async call<T = unknown>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T; headers: Headers }> {
    const res = await requestJson<T>(this.base, method, path, { body, cookie: this.cookie || undefined, headers: this.headers, timeoutMs: 60_000 });
    if (res.setCookie) this.cookie = res.setCookie;
    return { status: res.status, body: res.body, headers: res.headers };
  }

  async signup(): Promise<this> {
    const res = await this.call<{ id: string }>('POST', '/api/users/signup', { email: this.email, password: 'password123' });
    if (res.status !== 201) throw new Error(`signup failed: ${res.status} ${JSON.stringify(res.body)}`);
    this.id = res.body.id;
    return this;
  }
}
