import type { Logger } from '@ticketing/common';
import { Router } from 'express';
import { LiveConnection } from '../connection';
import { parseCursor } from '../cursor';
import type { LiveHub } from '../feed/hub';

export interface LiveRouteOptions {
  hub: LiveHub;
  logger: Logger;
  heartbeatMs: number;
  /** Open connections, so that shutdown can end them (an SSE response never ends by itself). */
  connections: Set<LiveConnection>;
}

/** A client that reads slower than events come gets disconnected past this much unsent data (it reconnects and catches up). */
const MAX_UNSENT_BYTES = 1 << 20;

/**
 * GET /api/live: Server-Sent Events. Public ticket changes for everyone; a signed-in user's
 * own order, payment and waitlist changes too. Each message's id is a cursor; a reconnect
 * sending it back as Last-Event-ID (or `?lastEventId=`) gets what it missed, then live.
 */
export function liveRouter(opts: LiveRouteOptions): Router {
  const router = Router();
  router.get('/api/live', (req, res) => {
    const lastEventId = req.get('last-event-id') ?? (typeof req.query.lastEventId === 'string' ? req.query.lastEventId : undefined);
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache, no-transform',
      Connection: 'keep-alive',
      // nginx (the ingress, the local edge): hand each message on at once.
      'X-Accel-Buffering': 'no',
    });
    res.write('retry: 2000\n\n');
    req.socket.setNoDelay(true);
    const connection = new LiveConnection(
      opts.hub,
      {
        write: (frame) => {
          res.write(frame);
          if (res.writableLength > MAX_UNSENT_BYTES) connection.close();
        },
        close: () => res.end(),
      },
      req.currentUser?.id,
    );
    opts.connections.add(connection);
    const heartbeat = setInterval(() => connection.heartbeat(), opts.heartbeatMs);
    res.on('close', () => {
      clearInterval(heartbeat);
      opts.connections.delete(connection);
      connection.close();
    });
    connection.start(parseCursor(lastEventId)).catch((err) => {
      opts.logger.warn({ err }, 'live: catch-up failed; the client reconnects');
      connection.close();
    });
  });
  return router;
}
