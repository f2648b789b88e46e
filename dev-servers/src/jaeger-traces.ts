/** A span as Jaeger's query API returns it, with its service's name. */
export interface StoredSpan {
  service: string;
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  links: { traceId: string; spanId: string }[];
}

/** The OTLP/JSON shape of Jaeger's API v3 answers (ids in hex). */
interface TracesData {
  resourceSpans?: {
    resource?: { attributes?: { key: string; value: { stringValue?: string } }[] };
    scopeSpans?: { spans?: { traceId: string; spanId: string; parentSpanId?: string; name: string; links?: { traceId: string; spanId: string }[] }[] }[];
  }[];
}

/**
 * The spans Jaeger has stored for `traceId` (hex), read through its query API v3
 * (GET /api/v3/traces/{id}); none while it has not received any (404).
 */
export async function readTrace(queryUrl: string, traceId: string): Promise<StoredSpan[]> {
  const res = await fetch(`${queryUrl}/api/v3/traces/${traceId}`, { signal: AbortSignal.timeout(10_000) });
  if (res.status === 404) return [];
  if (!res.ok) throw new Error(`Jaeger answered ${res.status} for trace ${traceId}: ${await res.text()}`);
  const body = (await res.json()) as { result?: TracesData };
  const spans: StoredSpan[] = [];
  for (const rs of body.result?.resourceSpans ?? []) {
    const service = rs.resource?.attributes?.find((a) => a.key === 'service.name')?.value.stringValue ?? '';
    for (const ss of rs.scopeSpans ?? []) {
      for (const s of ss.spans ?? []) {
        spans.push({ service, traceId: s.traceId, spanId: s.spanId, parentSpanId: s.parentSpanId || undefined, name: s.name, links: s.links ?? [] });
      }
    }
  }
  return spans;
}
