import {
  context,
  propagation,
  ROOT_CONTEXT,
  SpanStatusCode,
  trace,
  type Context,
  type Span,
  type SpanOptions,
  type TextMapGetter,
  type TextMapSetter,
} from '@opentelemetry/api';
import type { MsgHdrs } from 'nats';

/**
 * A trace context written down (W3C `traceparent`, `tracestate`), so it can cross a process
 * boundary that is not a call: an outbox entry, a delayed job. Empty when tracing is off.
 */
export type TraceCarrier = Record<string, string>;

const TRACER = '@ticketing/common';

/** The context active now, written down; undefined when there is none (or tracing is off). */
export function currentTraceCarrier(ctx: Context = context.active()): TraceCarrier | undefined {
  const carrier: TraceCarrier = {};
  propagation.inject(ctx, carrier);
  return carrier.traceparent ? carrier : undefined;
}

/** The context a carrier describes (the root context when there is none). */
export function contextFromCarrier(carrier: TraceCarrier | undefined): Context {
  return carrier ? propagation.extract(ROOT_CONTEXT, carrier) : ROOT_CONTEXT;
}

const headerSetter: TextMapSetter<MsgHdrs> = { set: (hdrs, key, value) => hdrs.set(key, value) };
const headerGetter: TextMapGetter<MsgHdrs | undefined> = {
  keys: (hdrs) => (hdrs ? hdrs.keys() : []),
  get: (hdrs, key) => (hdrs?.has(key) ? hdrs.get(key) : undefined),
};

/** Writes the active trace context into NATS message headers; true when there was one. */
export function injectTraceHeaders(hdrs: MsgHdrs, ctx: Context = context.active()): boolean {
  propagation.inject(ctx, hdrs, headerSetter);
  return hdrs.has('traceparent');
}

/** The trace context a NATS message carries in its headers (the root context when none). */
export function contextFromHeaders(hdrs: MsgHdrs | undefined): Context {
  return propagation.extract(ROOT_CONTEXT, hdrs, headerGetter);
}

/**
 * Runs `fn` in a new span, child of `parent` (default: the active context), and ends it when
 * `fn` settles; a thrown error marks the span failed. `fn` may also set the status itself.
 */
export function inSpan<T>(name: string, options: SpanOptions, parent: Context | undefined, fn: (span: Span) => Promise<T>): Promise<T> {
  return trace.getTracer(TRACER).startActiveSpan(name, options, parent ?? context.active(), async (span) => {
    try {
      return await fn(span);
    } catch (err) {
      markFailed(span, err);
      throw err;
    } finally {
      span.end();
    }
  });
}

/** Records `err` on `span` and marks it failed. */
export function markFailed(span: Span, err: unknown): void {
  if (err instanceof Error) span.recordException(err);
  span.setStatus({ code: SpanStatusCode.ERROR, message: err instanceof Error ? err.message : String(err) });
}

/** A link to the context `carrier` describes, for a span that starts its own trace (e.g. an expiry). */
export function linkTo(carrier: TraceCarrier | undefined): SpanOptions['links'] {
  const linked = trace.getSpanContext(contextFromCarrier(carrier));
  return linked ? [{ context: linked }] : [];
}

/** `trace_id` and `span_id` of the active span, for log lines; nothing outside a span. */
export function traceLogFields(): { trace_id?: string; span_id?: string } {
  const span = trace.getSpanContext(context.active());
  return span && trace.isSpanContextValid(span) ? { trace_id: span.traceId, span_id: span.spanId } : {};
}
