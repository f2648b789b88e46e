import type { Stack } from './stack';

/** No HTTP answer: the connection failed or timed out, or the body broke off. */
export class NoAnswerError extends Error {
  constructor(readonly reason: string) {
    super(`no answer: ${reason}`);
    this.name = 'NoAnswerError';
  }
}

export interface JsonRequest {
  /** Sent as JSON (with its content type) unless undefined. */
  body?: unknown;
  /** The `Cookie` header (a session), if any. */
  cookie?: string;
  headers?: Record<string, string>;
  timeoutMs?: number;
}

export interface JsonReply<T = unknown> {
  status: number;
  /** The body parsed as JSON; the text itself when it is not JSON (a proxy's error page); undefined when empty. */
  body: T;
  headers: Headers;
  /** The cookies the answer sets, as a `Cookie` header for the next request (undefined: none set). */
  setCookie?: string;
}

/**
 * One JSON request to the stack (the gateway or one process): the one HTTP client of the
 * e2e tests and the benchmark. Throws NoAnswerError when no answer came.
 */
export async function requestJson<T = unknown>(base: string, method: string, path: string, req: JsonRequest = {}): Promise<JsonReply<T>> {
  let res: Response;
  try {
    res = await fetch(`${base}${path}`, {
      method,
      headers: {
        ...req.headers,
        ...(req.body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(req.cookie ? { cookie: req.cookie } : {}),
      },
      body: req.body !== undefined ? JSON.stringify(req.body) : undefined,
      signal: AbortSignal.timeout(req.timeoutMs ?? 30_000),
    });
  } catch (err) {
    const e = err as Error & { cause?: { code?: string } };
    throw new NoAnswerError(e.cause?.code ?? e.name ?? String(err));
  }
  let text: string;
  try {
    text = await res.text();
  } catch (err) {
    throw new NoAnswerError(`body: ${(err as Error).name}`);
  }
  let body: unknown = text || undefined;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON: keep the text
  }
  const cookies = res.headers.getSetCookie();
  return {
    status: res.status,
    body: body as T,
    headers: res.headers,
    ...(cookies.length ? { setCookie: cookies.map((c) => c.split(';')[0]).join('; ') } : {}),
  };
}

/** Sum of a Prometheus sample's values whose labels include `labels`. */
export function sumMetric(text: string, name: string, labels: Record<string, string> = {}): number {
  let total = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    const brace = line.indexOf('{');
    const labelPart = brace >= 0 ? line.slice(brace + 1, line.indexOf('}')) : '';
    if (Object.entries(labels).every(([k, v]) => labelPart.includes(`${k}="${v}"`))) total += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return total;
}

/** A process's Prometheus metrics (its /metrics text); undefined when it does not answer 200. */
export async function metricsText(url: string, timeoutMs = 10_000): Promise<string | undefined> {
  try {
    const res = await fetch(`${url}/metrics`, { signal: AbortSignal.timeout(timeoutMs) });
    return res.ok ? await res.text() : undefined;
  } catch {
    return undefined;
  }
}

/** Whether the process at `url` answers its readiness probe with 200. */
export async function isReady(url: string, timeoutMs = 2_000): Promise<boolean> {
  try {
    return (await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(timeoutMs) })).ok;
  } catch {
    return false;
  }
}

/** Waits until stack process `name` is ready; fails when it exits or after `timeoutMs`. */
export async function waitUntilReady(stack: Stack, name: string, timeoutMs = 60_000): Promise<void> {
  const proc = stack.process(name);
  const deadline = Date.now() + timeoutMs;
  while (!(await isReady(stack.urlOf(name)))) {
    if (!proc.running) throw new Error(`${name} exited before it was ready`);
    if (Date.now() > deadline) throw new Error(`${name} was not ready after ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/**
 * Restarts one process of the stack with extra environment (e.g. the orders service with
 * EXPIRATION_WINDOW_SECONDS=2) and waits until it is ready again. Same port, same database;
 * the gateway keeps routing to it.
 */
export async function restartWithEnv(stack: Stack, name: string, env: NodeJS.ProcessEnv): Promise<void> {
  const proc = stack.process(name);
  Object.assign(proc.spec.env ?? {}, env);
  await proc.restart();
  await waitUntilReady(stack, name);
}
