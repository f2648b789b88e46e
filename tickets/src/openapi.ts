import { errorResponse, openApiCommonComponents, PRICE_MAX, PRICE_MIN, type OpenApiDocument } from '@ticketing/common';
import { TITLE_RULE } from './models/ticket';
import { LIST_DEFAULT_LIMIT, LIST_MAX_LIMIT } from './routes/list-tickets';

const errors = errorResponse;
const ticketResponse = (description: string) => ({
  description,
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Ticket' } } },
});
const ticketInput = {
  required: true,
  content: { 'application/json': { schema: { $ref: '#/components/schemas/TicketInput' } } },
};
const idParam = {
  name: 'id',
  in: 'path',
  required: true,
  description: 'Ticket id: 24 hex characters in any case (the same ticket however it is cased); anything else is a 404',
  schema: { type: 'string', pattern: '^[0-9a-fA-F]{24}$' },
};

/** The tickets API, served at /api/tickets/openapi.json and /api/tickets/docs. */
export const openApiDocument: OpenApiDocument = {
  openapi: '3.0.3',
  info: {
    title: 'Ticketing — tickets service',
    version: '1.0.0',
    description:
      'List tickets for sale, create and edit your own. Authentication: the `session` cookie set by the auth service. ' +
      'Errors are `{"errors":[{"message","field?"}]}`.',
  },
  components: {
    securitySchemes: openApiCommonComponents.securitySchemes,
    schemas: {
      ...openApiCommonComponents.schemas,
      Ticket: {
        type: 'object',
        required: ['id', 'title', 'price', 'userId', 'version'],
        properties: {
          id: { type: 'string' },
          title: { type: 'string' },
          price: { type: 'number' },
          userId: { type: 'string', description: 'The seller' },
          version: { type: 'integer', description: 'Incremented by every change' },
          orderId: { type: 'string', description: 'Present while an order holds (reserves) the ticket' },
        },
      },
      TicketInput: {
        type: 'object',
        required: ['title', 'price'],
        properties: {
          title: {
            type: 'string',
            minLength: 1,
            maxLength: TITLE_RULE.maxLength,
            description:
              `1 to ${TITLE_RULE.maxLength} characters, counted as Unicode code points (an emoji is 1, a flag or a ` +
              'zero-width-joined emoji counts each code point it is made of). Stored and read back exactly as sent: ' +
              'leading or trailing whitespace, control characters (C0, DEL, C1) and unpaired surrogates are a 400.',
          },
          price: {
            oneOf: [
              { type: 'number', minimum: PRICE_MIN, maximum: PRICE_MAX, multipleOf: 0.01 },
              { type: 'string', pattern: '^(0|[1-9][0-9]{0,8})(\\.[0-9]{1,2})?$', example: '25.00' },
            ],
            description:
              `US dollars from ${PRICE_MIN.toFixed(2)} to ${PRICE_MAX.toFixed(2)} (Stripe's minimum and maximum USD charge), ` +
              'at most two decimals. A JSON number or a decimal string such as "25.00" (no sign, exponent, hex, spaces ' +
              'or leading zeros); always stored and answered as a number.',
          },
        },
      },
    },
  },
  paths: {
    '/api/tickets': {
      get: {
        summary: 'Tickets for sale (not reserved), newest first',
        parameters: [
          {
            name: 'limit',
            in: 'query',
            schema: { type: 'integer', minimum: 1, maximum: LIST_MAX_LIMIT, default: LIST_DEFAULT_LIMIT },
            description: `Page size; outside 1..${LIST_MAX_LIMIT} is a 400`,
          },
          {
            name: 'before',
            in: 'query',
            schema: { type: 'string', pattern: '^[0-9a-fA-F]{24}$' },
            description: 'Cursor: the X-Next-Cursor of the previous page (pages stay stable while tickets are added)',
          },
        ],
        responses: {
          200: {
            description: 'A page of tickets',
            headers: {
              'X-Next-Cursor': { schema: { type: 'string' }, description: 'Cursor of the next page; absent on the last page' },
              Link: { schema: { type: 'string' }, description: 'RFC 8288 `rel="next"` link; absent on the last page' },
            },
            content: { 'application/json': { schema: { type: 'array', items: { $ref: '#/components/schemas/Ticket' } } } },
          },
          400: errors('Invalid limit or cursor'),
        },
      },
      post: {
        summary: 'List a ticket for sale',
        security: [{ session: [] }],
        requestBody: ticketInput,
        responses: {
          201: ticketResponse('The new ticket (version 0); ticket.created is published'),
          400: errors('Invalid title or price'),
          401: errors('Not signed in'),
        },
      },
    },
    '/api/tickets/{id}': {
      get: {
        summary: 'One ticket (with orderId while reserved)',
        parameters: [idParam],
        responses: { 200: ticketResponse('The ticket'), 404: errors('No such ticket') },
      },
      put: {
        summary: 'Edit your ticket',
        description: 'Optimistic concurrency: a concurrent change makes this a 409; reload and retry.',
        security: [{ session: [] }],
        parameters: [idParam],
        requestBody: ticketInput,
        responses: {
          200: ticketResponse('The edited ticket (version + 1); ticket.updated is published'),
          400: errors('Invalid title or price, or the ticket is reserved'),
          401: errors('Not signed in'),
          403: errors('Not your ticket'),
          404: errors('No such ticket'),
          409: errors('The ticket was modified concurrently'),
        },
      },
    },
    '/api/tickets/openapi.json': {
      get: { summary: 'This document', responses: { 200: { description: 'OpenAPI 3 document' } } },
    },
  },
};
