import type { ErrorRequestHandler, RequestHandler } from 'express';
import { CustomError, NotFoundError } from '../errors';
import type { Logger } from '../telemetry';

interface HttpError {
  status?: number;
  statusCode?: number;
  expose?: boolean;
  type?: string;
}

const BODY_ERRORS: Record<string, string> = {
  'entity.parse.failed': 'Malformed JSON body',
  'entity.too.large': 'Request body too large',
  'encoding.unsupported': 'Unsupported content encoding',
  'charset.unsupported': 'Unsupported charset',
};

/**
 * The one place errors become answers: a CustomError gives its status and messages; a
 * client error raised by express itself (bad JSON, body too large) keeps its 4xx; anything
 * else is a bug: 500 with the request id, logged as structured JSON with the stack.
 */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err, req, res, next) => {
    if (res.headersSent) return next(err);
    if (err instanceof CustomError) {
      res.set(err.headers()).status(err.statusCode).send({ errors: err.serializeErrors() });
      return;
    }
    const http = err as HttpError;
    const status = http.status ?? http.statusCode;
    if (status && status >= 400 && status < 500 && http.expose !== false) {
      const message = (http.type && BODY_ERRORS[http.type]) || 'Bad request';
      res.status(status).send({ errors: [{ message }] });
      return;
    }
    logger.error({ err, requestId: req.id }, 'unhandled error');
    res.status(500).send({ errors: [{ message: `Internal server error (request id ${req.id})` }], requestId: req.id });
  };
}

export const notFound: RequestHandler = () => {
  throw new NotFoundError('Route not found');
};
