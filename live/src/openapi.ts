import { openApiCommonComponents, type OpenApiDocument } from '@ticketing/common';

/** The live updates API, served at /api/live/openapi.json and /api/live/docs. */
export const openApiDocument: OpenApiDocument = {
  openapi: '3.0.3',
  info: {
    title: 'Ticketing — live updates',
    version: '1.0.0',
    description:
      'Server-Sent Events fed from the event streams. Everyone gets ticket changes; a signed-in user (the `session` ' +
      'cookie) also gets their own orders\', payments\' and waitlist places\' changes.',
  },
  components: { securitySchemes: openApiCommonComponents.securitySchemes, schemas: openApiCommonComponents.schemas },
  paths: {
    '/api/live': {
      get: {
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
        ].join('\n'),
        security: [{}, { session: [] }],
        parameters: [
          { name: 'Last-Event-ID', in: 'header', required: false, description: 'The id of the last message received', schema: { type: 'string' } },
          { name: 'lastEventId', in: 'query', required: false, description: 'The same, for clients that cannot set the header', schema: { type: 'string' } },
        ],
        responses: {
          200: { description: 'The event stream', content: { 'text/event-stream': { schema: { type: 'string' } } } },
        },
      },
    },
    '/api/live/openapi.json': {
      get: { summary: 'This document', responses: { 200: { description: 'OpenAPI 3 document' } } },
    },
  },
};
