import Queue from 'bull';
import Redis from 'ioredis';
import mongoose, { Schema } from 'mongoose';
import { connect, NatsError } from 'nats';
import { classifyFailure, natsAuthOptions, RetryLaterError, TransientError } from '../src';
import { freePort, startNatsServer, testMongoUrl, uniqueDbName } from '@ticketing/dev-servers';

/** The driver the services use: mongoose's own (the root `mongodb` package is mongodb-memory-server's). */
const { MongoClient } = mongoose.mongo;

/**
 * The classifier against errors produced for real by the libraries the services use: a
 * closed port stands for a dependency that is down.
 */
async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (err) {
    return err;
  }
  throw new Error('expected a rejection');
}

let closedPort: number;
beforeAll(async () => {
  closedPort = await freePort(); // nothing listens there
});

describe('classifyFailure: MongoDB unreachable is an outage', () => {
  it('mongoose cannot select a server', async () => {
    const conn = mongoose.createConnection();
    const err = await rejection(conn.openUri(`mongodb://127.0.0.1:${closedPort}/x`, { serverSelectionTimeoutMS: 200 }));
    expect((err as Error).name).toBe('MongooseServerSelectionError');
    expect(classifyFailure(err)).toBe('infrastructure');
    await conn.close();
  });

  it('mongoose buffering timed out (an operation while disconnected)', async () => {
    const conn = mongoose.createConnection(); // never connected: operations buffer
    const M = conn.model('Buffered', new Schema({ a: Number }, { bufferTimeoutMS: 100 }));
    const err = await rejection(M.findOne({}).exec());
    expect(String((err as Error).message)).toMatch(/buffering timed out/);
    expect(classifyFailure(err)).toBe('infrastructure');
    await conn.close();
  });

  it('the driver cannot select a server', async () => {
    const client = new MongoClient(`mongodb://127.0.0.1:${closedPort}`, { serverSelectionTimeoutMS: 200 });
    const err = await rejection(client.db('x').collection('c').findOne({}));
    expect((err as Error).name).toBe('MongoServerSelectionError');
    expect(classifyFailure(err)).toBe('infrastructure');
    await client.close();
  });

  it('an operation on a closed client', async () => {
    const client = new MongoClient(testMongoUrl(), { serverSelectionTimeoutMS: 2_000 });
    await client.connect();
    await client.close();
    const err = await rejection(client.db('x').collection('c').findOne({}));
    expect(classifyFailure(err)).toBe('infrastructure');
  });
});

describe('classifyFailure: a bad request to a healthy MongoDB is poison', () => {
  it('duplicate key and validation errors count', async () => {
    const conn = await mongoose.createConnection(testMongoUrl(), { dbName: uniqueDbName('kind') }).asPromise();
    const M = conn.model('Kind', new Schema({ key: { type: String, unique: true, required: true } }));
    await M.syncIndexes();
    await M.create({ key: 'a' });
    const duplicate = await rejection(M.create({ key: 'a' }));
    expect((duplicate as { code: number }).code).toBe(11000);
    expect(classifyFailure(duplicate)).toBe('poison');
    const invalid = await rejection(M.create({}));
    expect((invalid as Error).name).toBe('ValidationError');
    expect(classifyFailure(invalid)).toBe('poison');
    await conn.dropDatabase();
    await conn.close();
  });
});

/** Reconnects a little, then stops, so no timer outlives the test. */
const giveUpAfter3 = (times: number) => (times > 3 ? null : 20);

describe('classifyFailure: Redis unreachable is an outage', () => {
  it('ioredis gives up a command after its retries (MaxRetriesPerRequestError)', async () => {
    const redis = new Redis({ port: closedPort, host: '127.0.0.1', maxRetriesPerRequest: 1, retryStrategy: giveUpAfter3 });
    redis.on('error', () => undefined);
    const err = await rejection(redis.get('k'));
    expect((err as Error).name).toBe('MaxRetriesPerRequestError');
    expect(classifyFailure(err)).toBe('infrastructure');
    redis.disconnect();
  });

  it('ioredis on a closed connection ("Connection is closed.")', async () => {
    const redis = new Redis({ port: closedPort, host: '127.0.0.1', retryStrategy: () => null, lazyConnect: true });
    redis.on('error', () => undefined);
    await rejection(redis.connect());
    const err = await rejection(redis.get('k'));
    expect(String((err as Error).message)).toMatch(/Connection is closed/);
    expect(classifyFailure(err)).toBe('infrastructure');
  });

  it('ioredis without the offline queue', async () => {
    const redis = new Redis({ port: closedPort, host: '127.0.0.1', enableOfflineQueue: false, retryStrategy: () => 50 });
    redis.on('error', () => undefined);
    const err = await rejection(redis.get('k'));
    expect(classifyFailure(err)).toBe('infrastructure');
    redis.disconnect();
  });

  it('Bull cannot add a job', async () => {
    const queue = new Queue('kind-test', `redis://127.0.0.1:${closedPort}`, {
      redis: { maxRetriesPerRequest: 1, retryStrategy: giveUpAfter3, enableReadyCheck: false },
    });
    queue.on('error', () => undefined);
    const err = await rejection(queue.add({ a: 1 }));
    expect(classifyFailure(err)).toBe('infrastructure');
    await queue.close(true).catch(() => undefined);
  });
});

describe('classifyFailure: NATS failures are outages', () => {
  it('connection refused', async () => {
    const err = await rejection(connect({ servers: `nats://127.0.0.1:${closedPort}`, reconnect: false, timeout: 500 }));
    expect(err).toBeInstanceOf(NatsError);
    expect(classifyFailure(err)).toBe('infrastructure');
  });

  it('a JetStream publish nothing stores (no responders) and a request on a closed connection', async () => {
    const server = await startNatsServer();
    try {
      const nc = await connect({ servers: server.url, ...natsAuthOptions(server.credentials('admin')) });
      const noStream = await rejection(nc.jetstream().publish('nothing.stores.this', new Uint8Array()));
      expect(classifyFailure(noStream)).toBe('infrastructure');
      await nc.close();
      const closed = await rejection(nc.request('x', new Uint8Array(), { timeout: 200 }));
      expect(classifyFailure(closed)).toBe('infrastructure');
    } finally {
      await server.destroy();
    }
  });
});

describe('classifyFailure: other kinds', () => {
  it('an HTTP call to a closed port (fetch failed, cause ECONNREFUSED) and a timeout', async () => {
    const refused = await rejection(fetch(`http://127.0.0.1:${closedPort}/`));
    expect((refused as Error).message).toBe('fetch failed');
    expect(classifyFailure(refused)).toBe('infrastructure');
    const signal = AbortSignal.timeout(10);
    const timedOut = await rejection(new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason as Error))));
    expect((timedOut as Error).name).toBe('TimeoutError');
    expect(classifyFailure(timedOut)).toBe('infrastructure');
  });

  it('RetryLaterError is "not yet"; TransientError and anything caused by an outage is infrastructure', () => {
    expect(classifyFailure(new RetryLaterError('version 3 before 2'))).toBe('not-yet');
    expect(classifyFailure(new TransientError('payment API answered 503'))).toBe('infrastructure');
    const outage = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    expect(classifyFailure(new Error('could not save', { cause: outage }))).toBe('infrastructure');
    expect(classifyFailure(new RetryLaterError('waiting', undefined))).toBe('not-yet');
  });

  it('plain errors, type errors and non-errors are poison', () => {
    expect(classifyFailure(new Error('order 1 not found'))).toBe('poison');
    expect(classifyFailure(new TypeError("Cannot read properties of undefined (reading 'id')"))).toBe('poison');
    expect(classifyFailure('a string')).toBe('poison');
    expect(classifyFailure(undefined)).toBe('poison');
  });
});
