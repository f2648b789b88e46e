// index.ts imports this first: the instrumentations patch http, express, mongodb and ioredis
// only when they are in place before those modules load.
import { startTracing } from '@ticketing/common/tracing';

startTracing('orders');
