import pino, { type DestinationStream, type Logger } from 'pino';
import { traceLogFields } from './trace-context';

export type { Logger };

/** Paths never written to a log line: credentials, session cookies, card data. */
const REDACT = [
  'password',
  '*.password',
  'token',
  '*.token',
  'req.headers.cookie',
  'req.headers.authorization',
  'req.headers["stripe-signature"]',
  'res.headers["set-cookie"]',
];

/**
 * Structured JSON logs, one line per record, tagged with the service name and, inside a span,
 * with `trace_id`/`span_id` (so a trace's log lines can be found); `level` is LOG_LEVEL
 * (runService) or a test's. Lines go to stdout unless a `destination` is given (tests).
 */
export function createLogger(service: string, level: string, destination?: DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    level,
    base: { service, pid: process.pid },
    redact: { paths: REDACT, censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    mixin: traceLogFields,
  };
  return destination ? pino(options, destination) : pino(options);
}
