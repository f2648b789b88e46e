import { Subjects, type Subject } from './subjects';

/** One stream per owning aggregate, plus the dead-letter stream operators inspect. */
export const STREAMS = {
  TICKETS: ['ticket.>'],
  ORDERS: ['order.>'],
  EXPIRATION: ['expiration.>'],
  PAYMENTS: ['payment.>'],
  DEADLETTER: ['deadletter.>'],
} as const;

export type StreamName = keyof typeof STREAMS;

const STREAM_OF_PREFIX: Record<string, StreamName> = {
  ticket: 'TICKETS',
  order: 'ORDERS',
  expiration: 'EXPIRATION',
  payment: 'PAYMENTS',
  deadletter: 'DEADLETTER',
};

export function streamForSubject(subject: string): StreamName {
  const stream = STREAM_OF_PREFIX[subject.split('.')[0]];
  if (!stream) throw new Error(`No stream holds subject ${subject}`);
  return stream;
}

export const ALL_SUBJECTS: Subject[] = Object.values(Subjects);
