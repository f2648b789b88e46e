// Server-side API calls (Server Components only): through API_INTERNAL_URL, carrying the
// visitor's own cookie so the API sees the same user as the browser would.
import http from 'node:http';
import https from 'node:https';
import { headers } from 'next/headers';
import { cache } from 'react';
import { apiHostHeader, apiInternalUrl, apiTimeoutMs } from '../server-config';
import { ApiError, errorItemsFrom, parseJson, UNREACHABLE, UNREACHABLE_MESSAGE, type ApiResult, type CurrentUser } from './types';

interface RawResponse {
  status: number;
  headers: Headers;
  text: string;
}

/**
 * node:http rather than fetch: fetch (undici) silently drops a `Host` header, which the
 * ingress controller needs (API_HOST_HEADER) to route in-cluster requests.
 */
function rawGet(url: URL, requestHeaders: Record<string, string>, timeoutMs: number): Promise<RawResponse> {
  const transport = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = transport.get(url, { headers: requestHeaders, timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', reject);
      res.on('end', () => {
        const responseHeaders = new Headers();
        for (const [name, value] of Object.entries(res.headers)) {
          if (typeof value === 'string') responseHeaders.set(name, value);
          else if (Array.isArray(value)) value.forEach((v) => responseHeaders.append(name, v));
        }
        resolve({ status: res.statusCode ?? 502, headers: responseHeaders, text: Buffer.concat(chunks).toString('utf8') });
      });
    });
    req.on('timeout', () => req.destroy(new Error(`API request timed out after ${timeoutMs} ms`)));
    req.on('error', reject);
  });
}

/** GET `path` (e.g. `/api/tickets`) as the current visitor. Never throws for API or network failures. */
export async function serverGet<T>(path: string): Promise<ApiResult<T>> {
  const incoming = await headers();
  const requestHeaders: Record<string, string> = { accept: 'application/json' };
  const cookie = incoming.get('cookie');
  if (cookie) requestHeaders.cookie = cookie;
  const requestId = incoming.get('x-request-id');
  if (requestId) requestHeaders['x-request-id'] = requestId;
  const host = apiHostHeader();
  if (host) requestHeaders.host = host;

  let res: RawResponse;
  try {
    res = await rawGet(new URL(path, `${apiInternalUrl()}/`), requestHeaders, apiTimeoutMs());
  } catch (err) {
    console.warn(`[client] GET ${path} failed: ${(err as Error).message}`);
    return { ok: false, error: new ApiError(UNREACHABLE, [{ message: UNREACHABLE_MESSAGE }]) };
  }
  const body = parseJson(res.text);
  if (res.status >= 200 && res.status < 300) return { ok: true, data: body as T, headers: res.headers };
  if (res.status >= 500) console.warn(`[client] GET ${path} answered ${res.status}`);
  return { ok: false, error: new ApiError(res.status, errorItemsFrom(res.status, body)) };
}

/** The signed-in visitor (null when signed out), fetched once per request however often asked. */
export const getCurrentUser = cache(async (): Promise<ApiResult<CurrentUser | null>> => {
  const result = await serverGet<{ currentUser: CurrentUser | null }>('/api/users/currentuser');
  if (!result.ok) return result;
  return { ok: true, data: result.data?.currentUser ?? null, headers: result.headers };
});
