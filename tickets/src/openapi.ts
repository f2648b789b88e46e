import { errorResponse, openApiCommonComponents, PRICE_MAX, PRICE_MIN, type OpenApiDocument } from '@ticketing/common';
import { TITLE_RULE } from './models/ticket';
import { LIST_DEFAULT_LIMIT, LIST_MAX_LIMIT, SORTS } from './routes/list-tickets';
import { RESALE_CAP_MAX } from './domain/resale-cap';

const errors = errorResponse;
const ticketResponse = (description: string) => ({
  description,
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Ticket' } } },
});
const ticketInput = {
  required: true,
  content: { 'application/json': { schema: { $ref: '#/components/schemas/TicketInput' } } },
};
const json = (schema: object) => ({ 'application/json': { schema } });
const ticketList = (description: string) => ({ description, content: json({ type: 'array', items: { $ref: '#/components/schemas/Ticket' } }) });
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
      'List and search tickets for sale, create and edit your own. A bought ticket is delivered to its buyer (the holder) as a ' +
      'signed e-ticket code that its organizer checks in once at the door; the holder may resell it (within a price cap), ' +
      'which supersedes their code. Authentication: the `session` cookie set by the auth service. ' +
      'Errors are `{"errors":[{"message","field?"}]}`.',
  },
  components: {
    securitySchemes: openApiCommonComponents.securitySchemes,
    schemas: {
      ...openApiCommonComponents.schemas,
      Ticket: {
        type: 'object',
        required: ['id', 'title', 'price', 'userId', 'version', 'status', 'organizerId', 'faceValue', 'checkedIn'],
        properties: {
          id: { type: 'string' },
          title: { type: 'string' },
          price: { type: 'number' },
          userId: { type: 'string', description: 'The seller' },
          version: { type: 'integer', description: 'Incremented by every change' },
          orderId: { type: 'string', description: 'The order holding (reserving) the ticket; once sold, the sale' },
          status: {
            type: 'string',
            enum: ['available', 'reserved', 'sold', 'delisted'],
            description: 'available: for sale; reserved: an order holds it; sold: delivered to holderId; delisted: withdrawn by its organizer',
          },
          organizerId: { type: 'string', description: 'Who created the ticket: checks it in at the door' },
          faceValue: { type: 'number', description: 'The price at creation: the base of the resale cap' },
          holderId: { type: 'string', description: 'The buyer it was delivered to (status sold), or its last holder while it is resold' },
          resaleCapPercent: { type: 'integer', description: 'This ticket\'s resale cap (percent above face value), if set at creation' },
          checkedIn: { type: 'boolean', description: 'The current delivery was admitted at the door' },
        },
      },
      Sale: {
        type: 'object',
        required: ['orderId', 'buyerId', 'price', 'at'],
        properties: { orderId: { type: 'string' }, buyerId: { type: 'string' }, price: { type: 'number' }, at: { type: 'string', format: 'date-time' } },
      },
      Listing: {
        allOf: [
          { $ref: '#/components/schemas/Ticket' },
          { type: 'object', required: ['sales'], properties: { sales: { type: 'array', items: { $ref: '#/components/schemas/Sale' }, description: 'Only the sales you made' } } },
        ],
      },
      TicketInput: {
        type: 'object',
        required: ['title', 'price'],
        properties: {
          resaleCapPercent: {
            type: 'integer',
            minimum: 0,
            maximum: RESALE_CAP_MAX,
            description:
              'Create only, optional: a resale may ask at most face value × (1 + this/100). Without it the service\'s ' +
              'TICKET_RESALE_CAP_PERCENT applies (none if unset). Ignored on PUT.',
          },
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
        summary: 'The catalogue: tickets for sale (not reserved), searched, sorted, paginated',
        parameters: [
          { name: 'q', in: 'query', schema: { type: 'string', minLength: 1, maxLength: 100 }, description: 'Title contains this text (case-insensitive, taken literally: no pattern)' },
          { name: 'minPrice', in: 'query', schema: { type: 'string', pattern: '^[0-9]{1,7}(\\.[0-9]{1,2})?$' }, description: 'Price at least this' },
          { name: 'maxPrice', in: 'query', schema: { type: 'string', pattern: '^[0-9]{1,7}(\\.[0-9]{1,2})?$' }, description: 'Price at most this (not below minPrice)' },
          { name: 'sort', in: 'query', schema: { type: 'string', enum: [...SORTS], default: 'newest' } },
          {
            name: 'cursor',
            in: 'query',
            schema: { type: 'string' },
            description: 'The X-Next-Cursor of the previous page, with the same other parameters (pages stay stable while tickets are added)',
          },
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
            description: 'Older spelling of `cursor` for sort=newest',
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
          400: errors('Invalid q, minPrice, maxPrice, sort, limit or cursor (the field names it)'),
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
        summary: 'Edit your listing, resell a ticket you hold, or relist your delisted ticket',
        description:
          'The seller of an available ticket edits it. The holder of a sold (delivered) ticket lists it again: the same title ' +
          '(else 400 field title), a price within the resale cap (else 400 field price "Resale price may not exceed $X"); ' +
          'their code is superseded and the ticket is available with them as seller. The organizer of a delisted ticket ' +
          'lists it again. Optimistic concurrency: a concurrent change makes this a 409; reload and retry.',
        security: [{ session: [] }],
        parameters: [idParam],
        requestBody: ticketInput,
        responses: {
          200: ticketResponse('The edited ticket (version + 1); ticket.updated is published'),
          400: errors('Invalid title or price, the ticket is reserved or sold by you, or a resale above the cap or with another title'),
          401: errors('Not signed in'),
          403: errors('Not your ticket'),
          404: errors('No such ticket'),
          409: errors('The ticket was modified concurrently'),
        },
      },
      delete: {
        summary: 'Withdraw your listing',
        description:
          'The organizer\'s ticket becomes delisted (PUT lists it again); a resale goes back to its holder as sold, with a ' +
          'fresh code. Withdrawing a delisted ticket changes nothing.',
        security: [{ session: [] }],
        parameters: [idParam],
        responses: {
          200: ticketResponse('The ticket (version + 1); ticket.updated is published'),
          400: errors('Cannot withdraw a reserved or a sold ticket'),
          401: errors('Not signed in'),
          403: errors('Not your listing'),
          404: errors('No such ticket'),
          409: errors('The ticket was modified concurrently'),
        },
      },
    },
    '/api/tickets/mine': {
      get: {
        summary: 'Tickets delivered to you that you hold (status sold, with checkedIn), newest first',
        security: [{ session: [] }],
        responses: { 200: ticketList('Your tickets (at most 500)'), 401: errors('Not signed in') },
      },
    },
    '/api/tickets/listings': {
      get: {
        summary: 'Tickets you sell or sold, with status and your sales',
        description: 'A ticket you sold whose buyer now resells it shows status sold.',
        security: [{ session: [] }],
        responses: {
          200: { description: 'Your listings (at most 500)', content: json({ type: 'array', items: { $ref: '#/components/schemas/Listing' } }) },
          401: errors('Not signed in'),
        },
      },
    },
    '/api/tickets/code-keys': {
      get: {
        summary: 'Public keys that verify e-ticket codes (for scanners, offline)',
        responses: {
          200: {
            description: 'The keys: `{keys: [{kid, alg: "ES256", jwk}]}` (empty where codes are not configured)',
            content: json({
              type: 'object',
              required: ['keys'],
              properties: {
                keys: {
                  type: 'array',
                  items: { type: 'object', required: ['kid', 'alg', 'jwk'], properties: { kid: { type: 'string' }, alg: { type: 'string', enum: ['ES256'] }, jwk: { type: 'object' } } },
                },
              },
            }),
          },
        },
      },
    },
    '/api/tickets/{id}/code': {
      get: {
        summary: 'The e-ticket code of a ticket you hold',
        description:
          '`code` is a compact JWS (ES256, `kid` header; verify with /api/tickets/code-keys) with payload ' +
          '`{tid: ticket id, d: delivery, h: holder id, iat}`. It is valid while the ticket stays with you in this delivery: ' +
          'a resale (or a withdrawn resale) supersedes it.',
        security: [{ session: [] }],
        parameters: [idParam],
        responses: {
          200: {
            description: 'The code',
            content: json({
              type: 'object',
              required: ['ticketId', 'code', 'delivery', 'checkedIn'],
              properties: { ticketId: { type: 'string' }, code: { type: 'string' }, delivery: { type: 'integer' }, checkedIn: { type: 'boolean' } },
            }),
          },
          400: errors('The ticket is listed for sale again: no valid code'),
          401: errors('Not signed in'),
          403: errors('You do not hold this ticket'),
          404: errors('No such ticket'),
          503: errors('Ticket codes are not configured (TICKET_CODE_SIGNING_KEY)'),
        },
      },
    },
    '/api/tickets/{id}/checkin': {
      post: {
        summary: 'Check a ticket in at the door (its organizer): admits the code once',
        security: [{ session: [] }],
        parameters: [idParam],
        requestBody: { required: true, content: json({ type: 'object', required: ['code'], properties: { code: { type: 'string' } } }) },
        responses: {
          200: {
            description: 'Admitted (version + 1; ticket.updated is published)',
            content: json({
              type: 'object',
              required: ['admitted', 'ticketId', 'holderId', 'checkedInAt'],
              properties: { admitted: { type: 'boolean', enum: [true] }, ticketId: { type: 'string' }, holderId: { type: 'string' }, checkedInAt: { type: 'string', format: 'date-time' } },
            }),
          },
          400: errors('"Invalid ticket code": not signed by this service, malformed, or for another ticket'),
          401: errors('Not signed in'),
          403: errors('Only the organizer can check this ticket in'),
          404: errors('No such ticket'),
          409: errors('"Ticket already used" (this delivery was admitted before) or "Ticket code was superseded" (resold or relisted since)'),
          503: errors('Ticket codes are not configured (TICKET_CODE_SIGNING_KEY)'),
        },
      },
    },
    '/api/tickets/openapi.json': {
      get: { summary: 'This document', responses: { 200: { description: 'OpenAPI 3 document' } } },
    },
  },
};
