import { defineRoute, mountRoute, ruleField, type Logger } from '@ticketing/common';
import { Router } from 'express';
import { z } from 'zod';
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

const LAST_EVENT_ID = 'The id of the last message received';

export const liveStreamRoute = defineRoute({
  method: 'get',
  path: '/api/live',
  summary: 'Subscribe to live updates (text/event-stream)',
  description: [
    'A never-ending `text/event-stream` (`Cache-Control: no-cache`, `X-Accel-Buffering: no`). It starts with',
    '`retry: 2000`; every message has an `id` (a cursor such as `t:12.o:40.p:7`: the last sequence seen on the',
    'TICKETS, ORDERS and PAYMENTS streams), an `event` and JSON `data`:',
    '',
    '- `ticket` (everyone): `{id, version, status: available|reserved|sold|delisted, title, price}` when a ticket',
    '  is listed, edited, reserved, released, sold or withdrawn;',
    '- `order` (its buyer only): `{id, event, version?, ticketId?, paymentId?}` with `event` one of created,',
    '  awaiting-payment, cancelled, completed, payment-created, payment-captured, payment-voided, payment-refunded;',
    '- `waitlist` (that buyer only): the order.waitlist-changed payload',
    '  `{id, version, ticketId, userId, status, position?, orderId?, reason?}`;',
    '- `reset` (`{}`): a reconnect was too far behind to replay (more than 10,000 messages on a stream); the',
    '  stream goes on live from now, and the page should reload what it shows.',
    '',
    'A comment line `: hb` arrives every LIVE_HEARTBEAT_SECONDS (15) when nothing else does. A message with only an',
    '`id` moves the cursor without an event. Reconnecting with the last id as `Last-Event-ID` (browsers do it by',
    'themselves) or `?lastEventId=` replays exactly what was missed, as long as the streams still hold it, then goes on live.',
    'A cursor that cannot be read starts from now.',
  ].join('\n'),
  access: 'optional-session',
  headers: [{ name: 'Last-Event-ID', required: false, description: LAST_EVENT_ID, schema: { type: 'string' } }],
  request: {
    query: z.object({
      // Anything but one string (a repeated parameter) is no cursor: live from now, never an error.
      lastEventId: ruleField<string | undefined>({ type: 'string', description: `${LAST_EVENT_ID}, for clients that cannot set the header` }, (v) => ({
        value: typeof v === 'string' ? v : undefined,
      })).optional(),
    }),
  },
  responses: { 200: { description: 'The event stream', contentType: 'text/event-stream', body: { type: 'string' } } },
});

/**
 * GET /api/live: Server-Sent Events. Public ticket changes for everyone; a signed-in user's
 * own order, payment and waitlist changes too. Each message's id is a cursor; a reconnect
 * sending it back as Last-Event-ID (or `?lastEventId=`) gets what it missed, then live.
 */
export function liveRouter(opts: LiveRouteOptions): Router {
  return mountRoute(Router(), liveStreamRoute, (req, res) => {
    const lastEventId = req.get('last-event-id') ?? liveStreamRoute.query(req).lastEventId;
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
}
