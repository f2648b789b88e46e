import { randomBytes } from 'node:crypto';

/** A user of the system, speaking HTTP to the gateway with their own cookie. */
export class Shopper {
  cookie = '';
  id = '';
  readonly email = `${randomBytes(5).toString('hex')}@e2e.example`;

  constructor(private readonly base: string) {}

  async call<T = unknown>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T; headers: Headers }> {
    const res = await fetch(`${this.base}${path}`, {
      method,
      headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...(this.cookie ? { cookie: this.cookie } : {}) },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
    const setCookie = res.headers.getSetCookie();
    if (setCookie.length) this.cookie = setCookie.map((c) => c.split(';')[0]).join('; ');
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T, headers: res.headers };
  }

  async signup(): Promise<this> {
    const res = await this.call<{ id: string }>('POST', '/api/users/signup', { email: this.email, password: 'password123' });
    if (res.status !== 201) throw new Error(`signup failed: ${res.status} ${JSON.stringify(res.body)}`);
    this.id = res.body.id;
    return this;
  }
}

/** Sum of a Prometheus counter's samples whose labels include `labels`. */
export function sumMetric(text: string, name: string, labels: Record<string, string>): number {
  let total = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`)) continue;
    const labelPart = line.slice(name.length + 1, line.indexOf('}'));
    const ok = Object.entries(labels).every(([k, v]) => labelPart.includes(`${k}="${v}"`));
    if (ok) total += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return total;
}

