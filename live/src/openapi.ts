import { openApiDocument as buildDocument } from '@ticketing/common';
import { liveStreamRoute } from './routes/live-stream';

/** The live updates API, served at /api/live/openapi.json and /api/live/docs, made from its route's contract. */
export const openApiDocument = buildDocument({
  title: 'Ticketing — live updates',
  version: '1.0.0',
  description:
    'Server-Sent Events fed from the event streams. Everyone gets ticket changes; a signed-in user (the `session` ' +
    "cookie) also gets their own orders', payments' and waitlist places' changes.",
  base: '/api/live',
  routes: [liveStreamRoute],
});
