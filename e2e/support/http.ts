import http from 'node:http';

export interface RawRequest {
  method: string;
  /** Path and query, sent as given (no normalisation). */
  path: string;
  headers?: Record<string, string | string[]>;
  /** Sent as is: a string (any bytes, valid JSON or not) or a Buffer. */
  body?: string | Buffer;
  /** Stream the body in 64 kB chunks with `Transfer-Encoding: chunked` (no Content-Length announced). */
  chunked?: boolean;
  timeoutMs?: number;
}

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  json: unknown;
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

/**
 * One HTTP request with exactly the bytes given (malformed JSON, odd content types, huge
 * bodies). A server that answers early (413) and closes while the body is still being sent
 * still gives its answer: a write error after the response has arrived is ignored.
 */
export function rawRequest(base: string, req: RawRequest): Promise<RawResponse> {
  const url = new URL(req.path, base);
  const body = req.body === undefined ? undefined : Buffer.isBuffer(req.body) ? req.body : Buffer.from(req.body, 'utf8');
  return new Promise((resolve, reject) => {
    let settled = false;
    const finish = (err: Error | undefined, res?: RawResponse) => {
      if (settled) return;
      settled = true;
      if (err) reject(err);
      else resolve(res!);
    };
    const r = http.request(
      {
        host: url.hostname,
        port: url.port,
        method: req.method,
        path: req.path,
        agent,
        headers: {
          ...(body ? (req.chunked ? { 'transfer-encoding': 'chunked' } : { 'content-length': String(body.length) }) : {}),
          ...req.headers,
        },
        timeout: req.timeoutMs ?? 15_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', (err) => finish(err));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: unknown;
          try {
            json = text ? JSON.parse(text) : undefined;
          } catch {
            json = undefined;
          }
          finish(undefined, { status: res.statusCode ?? 0, headers: res.headers, text, json });
        });
      },
    );
    r.on('timeout', () => r.destroy(new Error(`timeout after ${req.timeoutMs ?? 15_000} ms: ${req.method} ${req.path}`)));
    r.on('error', (err: NodeJS.ErrnoException) => {
      // EPIPE/ECONNRESET while writing a body the server refused: wait briefly for its answer.
      if (err.code === 'EPIPE' || err.code === 'ECONNRESET') setTimeout(() => finish(err), 2_000);
      else finish(err);
    });
    if (body && req.chunked) {
      const write = (offset: number): void => {
        if (settled || r.destroyed) return;
        if (offset >= body.length) {
          r.end();
          return;
        }
        const more = r.write(body.subarray(offset, offset + 64 * 1024));
        if (more) setImmediate(() => write(offset + 64 * 1024));
        else r.once('drain', () => write(offset + 64 * 1024));
      };
      write(0);
    } else if (body) r.end(body);
    else r.end();
  });
}
