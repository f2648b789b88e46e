import type { RequestHandler } from 'express';
import type { Logger } from '../telemetry';

/**
 * One log line per answered request, cheaply: a 5xx always (level error); anything else at
 * info for a sample of `sampleRate` of the requests, and every one at debug (LOG_LEVEL=debug).
 * One JSON line per request on stdout cost ~5 % of a service's CPU under load; the line is
 * built only when it will be written.
 */
export function accessLog(logger: Logger, sampleRate: number): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const status = res.statusCode;
      const level = status >= 500 ? 'error' : Math.random() < sampleRate ? 'info' : 'debug';
      if (!logger.isLevelEnabled(level)) return;
      const responseTime = Math.round(Number(process.hrtime.bigint() - started) / 1e5) / 10;
      logger[level]({ req: { id: req.id, method: req.method, url: req.originalUrl }, res: { statusCode: status }, responseTime }, 'request completed');
    });
    next();
  };
}
