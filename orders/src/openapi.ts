import { errorResponse, openApiCommonComponents, tooManyRequestsResponse, type OpenApiDocument } from '@ticketing/common';

const errors = errorResponse('Error');
const orderResponse = (description: string) => ({
  description,
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Order' } } },
});
const idParam = {
  name: 'id',
  in: 'path',
  required: true,
  description: 'Order id: 24 hex characters in any case (the same order however it is cased); anything else is a 404',
  schema: { type: 'string', pattern: '^[0-9a-fA-F]{24}$' },
};
const ticketIdParam = {
  name: 'ticketId',
  in: 'path',
  required: true,
  description: 'Ticket id: 24 hex characters in any case; anything else is a 404',
  schema: { type: 'string', pattern: '^[0-9a-fA-F]{24}$' },
};
const signedIn = [{ session: [] }];
const json = (schema: object) => ({ 'application/json': { schema } });
const WAITLIST_STATUS = {
  type: 'string',
  enum: ['waiting', 'offered', 'left', 'skipped', 'cleared'],
  description:
    'waiting: in line; offered: the ticket was released and an order was placed for you (orderId: pay it within its ' +
    'window, or the next in line gets it); left: you left the line; skipped: you could not take the ticket when it was ' +
    'your turn (reason: e.g. your unpaid-order cap); cleared: the seller changed or withdrew the ticket, or it was sold (reason)',
};

/** The orders API; a test checks that it lists exactly the routes the app serves. */
export const openApiDocument: OpenApiDocument = {
  openapi: '3.0.3',
  info: {
    title: 'Ticketing orders API',
    version: '1.0.0',
    description:
      'Orders reserve a ticket for a limited window (EXPIRATION_WINDOW_SECONDS). Exactly one order can hold a ticket; ' +
      'unpaid orders expire and free it. A buyer holds at most ORDERS_MAX_ACTIVE_PER_BUYER unpaid orders at once. ' +
      'A payment first authorises (holds) the amount; the order then completes, and the payment is captured, or it was ' +
      'cancelled first, and the hold is released: the buyer is never charged for a cancelled order (a capture that ' +
      'raced one is refunded automatically). Each order shows its payment state. ' +
      'A reserved ticket has a waitlist: when its hold is released (cancelled or expired) the first in line gets an order ' +
      'for it (the normal window, the same one-winner rule); if they do not pay, the next one does. While buyers wait, ' +
      'a walk-in order is refused. The seller changing or withdrawing the ticket, or its sale, empties the line. ' +
      'Errors are always {"errors":[{"message","field?"}]}.',
  },
  components: {
    securitySchemes: openApiCommonComponents.securitySchemes,
    schemas: {
      ...openApiCommonComponents.schemas,
      Order: {
        type: 'object',
        properties: {
          id: { type: 'string' },
          status: {
            type: 'string',
            enum: ['created', 'cancelled', 'awaiting:payment', 'complete'],
            description:
              'created: placed, the tickets service has yet to confirm it holds the ticket as ordered; awaiting:payment: ' +
              'confirmed, payable; complete: paid; cancelled: see cancelReason',
          },
          expiresAt: { type: 'string', format: 'date-time' },
          ticket: {
            type: 'object',
            description: 'The ticket as it was when the order was placed',
            properties: { id: { type: 'string' }, title: { type: 'string' }, price: { type: 'number' } },
          },
          userId: { type: 'string' },
          version: { type: 'integer' },
          cancelReason: {
            type: 'string',
            enum: ['buyer', 'expired', 'ticket-changed'],
            description:
              'Why a cancelled order was cancelled: by the buyer; its payment window ended; or the seller changed the ' +
              'ticket (price or title) before the order could hold it. Absent on orders that are not cancelled.',
          },
          createdAt: { type: 'string', format: 'date-time' },
          payment: {
            nullable: true,
            allOf: [{ $ref: '#/components/schemas/Payment' }],
            description:
              "The order's most relevant payment, as the payments service's events reported it (it may lag the " +
              'payment request by a moment): money that moved (captured, or refunded) over a hold (authorized) over a ' +
              'released hold (voided); between captured and refunded, a complete order shows its capture and any other ' +
              'order its refund. null while no payment was authorised.',
          },
        },
        required: ['id', 'status', 'expiresAt', 'ticket', 'userId', 'version', 'payment'],
      },
      WaitlistPlace: {
        type: 'object',
        description: 'Your place in the line of a ticket',
        properties: {
          ticketId: { type: 'string' },
          status: { type: 'string', enum: ['waiting'] },
          position: { type: 'integer', minimum: 1, description: '1 = you are next' },
          length: { type: 'integer', description: 'How many wait (you included)' },
        },
        required: ['ticketId', 'status', 'position', 'length'],
      },
      WaitlistLine: {
        type: 'object',
        description: "A ticket's line; status and the rest only with a session, for your latest entry on this ticket",
        properties: {
          ticketId: { type: 'string' },
          length: { type: 'integer', description: 'How many wait' },
          status: WAITLIST_STATUS,
          position: { type: 'integer', minimum: 1, description: 'While waiting' },
          orderId: { type: 'string', description: 'While offered: the order placed for you' },
          reason: { type: 'string', description: 'When skipped or cleared: why, for people' },
        },
        required: ['ticketId', 'length'],
      },
      WaitlistEntry: {
        type: 'object',
        properties: {
          id: { type: 'string' },
          ticketId: { type: 'string' },
          title: { type: 'string', description: 'The ticket title when you joined' },
          status: WAITLIST_STATUS,
          position: { type: 'integer', minimum: 1, description: 'While waiting' },
          orderId: { type: 'string', description: 'When offered' },
          reason: { type: 'string', description: 'When skipped or cleared' },
          joinedAt: { type: 'string', format: 'date-time' },
        },
        required: ['id', 'ticketId', 'title', 'status', 'joinedAt'],
      },
      Payment: {
        type: 'object',
        properties: {
          id: { type: 'string', description: 'The payment id (payments service)' },
          status: {
            type: 'string',
            enum: ['authorized', 'captured', 'voided', 'refunded'],
            description:
              'authorized: the amount is held on the card, not taken; the order decides (complete → captured, ' +
              'cancelled → voided). captured: the buyer was charged. voided: the hold was released, the buyer was ' +
              'not charged. refunded: the charge was given back (a captured payment whose order did not end complete).',
          },
          amount: { type: 'integer', description: 'In cents (held, charged or refunded); absent when not known' },
        },
        required: ['id', 'status'],
      },
    },
  },
  paths: {
    '/api/orders': {
      post: {
        summary: 'Reserve a ticket',
        security: signedIn,
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                type: 'object',
                properties: {
                  ticketId: {
                    type: 'string',
                    pattern: '^[0-9a-fA-F]{24}$',
                    description: 'Ticket id, 24 hex characters in any case (one ticket however it is cased); anything else is a 400',
                  },
                },
                required: ['ticketId'],
              },
            },
          },
        },
        responses: {
          201: orderResponse('Order created; the ticket is reserved until expiresAt'),
          400: {
            ...errors,
            description:
              'Invalid ticketId, ticket already reserved, "Ticket is not for sale" (sold to a holder who has not listed it ' +
              'again, or withdrawn by its seller), "Ticket has a waitlist: join it" (released while buyers wait: they come ' +
              'first), your own ticket, or you already hold ORDERS_MAX_ACTIVE_PER_BUYER unpaid orders ("You already have N ' +
              'unpaid orders, the most allowed at once: pay for or cancel one first")',
          },
          401: { ...errors, description: 'Not signed in' },
          404: { ...errors, description: 'Unknown ticket' },
          409: { ...errors, description: 'Too many of your orders raced at once; try again' },
          429: tooManyRequestsResponse('Too many orders placed by this user this minute (RATE_LIMIT_ORDERS_PER_MIN)'),
        },
      },
      get: {
        summary: "The signed-in user's orders, newest first",
        security: signedIn,
        responses: {
          200: {
            description: 'Orders',
            content: { 'application/json': { schema: { type: 'array', items: { $ref: '#/components/schemas/Order' } } } },
          },
          401: { ...errors, description: 'Not signed in' },
        },
      },
    },
    '/api/orders/waitlist': {
      post: {
        summary: 'Join the waitlist of a reserved ticket (idempotent)',
        security: signedIn,
        requestBody: {
          required: true,
          content: json({
            type: 'object',
            properties: { ticketId: { type: 'string', pattern: '^[0-9a-fA-F]{24}$', description: 'Ticket id, any case' } },
            required: ['ticketId'],
          }),
        },
        responses: {
          201: { description: 'In line', content: json({ $ref: '#/components/schemas/WaitlistPlace' }) },
          200: { description: 'Already in line: your place, unchanged', content: json({ $ref: '#/components/schemas/WaitlistPlace' }) },
          400: {
            ...errors,
            description:
              'Invalid ticketId; "Ticket is available: order it instead"; "Ticket is not for sale" (sold, withdrawn); ' +
              '"You cannot wait for your own ticket"; "You hold this ticket already: pay for your order"',
          },
          401: { ...errors, description: 'Not signed in' },
          404: { ...errors, description: 'Unknown ticket' },
          409: { ...errors, description: 'Too many buyers joined at once; try again' },
        },
      },
      get: {
        summary: 'Your waitlist entries, newest first (at most 50)',
        security: signedIn,
        responses: {
          200: { description: 'Entries', content: json({ type: 'array', items: { $ref: '#/components/schemas/WaitlistEntry' } }) },
          401: { ...errors, description: 'Not signed in' },
        },
      },
    },
    '/api/orders/waitlist/{ticketId}': {
      get: {
        summary: "A ticket's waitlist: its length for anyone; your status and place with a session",
        parameters: [ticketIdParam],
        responses: {
          200: { description: 'The line', content: json({ $ref: '#/components/schemas/WaitlistLine' }) },
          404: { ...errors, description: 'Unknown ticket' },
        },
      },
      delete: {
        summary: 'Leave the waitlist',
        security: signedIn,
        parameters: [ticketIdParam],
        responses: {
          204: { description: 'Left' },
          401: { ...errors, description: 'Not signed in' },
          404: { ...errors, description: 'You are not waiting for this ticket (also: it was offered to you already)' },
        },
      },
    },
    '/api/orders/{id}': {
      get: {
        summary: 'One of your orders',
        security: signedIn,
        parameters: [idParam],
        responses: {
          200: orderResponse('The order'),
          401: { ...errors, description: 'Not signed in' },
          403: { ...errors, description: "Another user's order" },
          404: { ...errors, description: 'No such order' },
        },
      },
      delete: {
        summary: 'Cancel one of your orders (idempotent); the ticket goes to the first in its waitlist, or is for sale again',
        security: signedIn,
        parameters: [idParam],
        responses: {
          204: { description: 'Cancelled (or already was)' },
          400: { ...errors, description: 'The order is complete (paid)' },
          401: { ...errors, description: 'Not signed in' },
          403: { ...errors, description: "Another user's order" },
          404: { ...errors, description: 'No such order' },
        },
      },
    },
    '/api/orders/openapi.json': {
      get: {
        summary: 'This document (Swagger UI at /api/orders/docs)',
        responses: { 200: { description: 'OpenAPI document', content: { 'application/json': {} } } },
      },
    },
  },
};
