import { randomObjectId, signin, storedEvents } from '@ticketing/dev-servers';
import request from 'supertest';
import type { Express } from 'express';

export type WaitlistEvent = {
  id: string;
  version: number;
  ticketId: string;
  userId: string;
  status: string;
  position?: number;
  orderId?: string;
  reason?: string;
};

/** A signed-in buyer: their id and session cookie. */
export function buyer() {
  const id = randomObjectId();
  return { id, cookie: signin({ id }) };
}

export const placeOrder = (app: Express, cookie: string[], ticketId: string) => request(app).post('/api/orders').set('Cookie', cookie).send({ ticketId });
export const joinWaitlist = (app: Express, cookie: string[], ticketId: unknown): request.Test =>
  request(app).post('/api/orders/waitlist').set('Cookie', cookie).send({ ticketId });

/** order.waitlist-changed events on JetStream about `ticketId`, in stream order. */
export async function waitlistEvents(jsm: Parameters<typeof storedEvents>[0], ticketId: string) {
  return (await storedEvents<WaitlistEvent>(jsm, 'order.waitlist-changed')).filter((e) => e.data.ticketId === ticketId);
}
