import { randomBytes } from 'node:crypto';
import mongoose from 'mongoose';
import { failOnMongooseWarnings } from './mongoose-warnings';

/** The MongoDB-wire server of this test run (set by the global setup or by the caller). */
export function testMongoUrl(): string {
  const url = process.env.MONGO_URL;
  if (!url) throw new Error('MONGO_URL is not set: add @ticketing/dev-servers/jest-global-setup as globalSetup');
  return url;
}

/** A database name no other test file uses. */
export function uniqueDbName(prefix = 'test'): string {
  return `${prefix}_${randomBytes(6).toString('hex')}`;
}

/**
 * Gives this test file its own database on the shared server: connects the default
 * mongoose connection before all tests, empties every collection before each test, drops
 * the database after all. A warning from mongoose fails the file (failOnMongooseWarnings).
 */
export function useTestDatabase(prefix?: string): { dbName: string } {
  const dbName = uniqueDbName(prefix);
  failOnMongooseWarnings();
  beforeAll(async () => {
    // A reply that never comes (seen twice in CI: a test stuck for 60 s on the shared stand-in
    // server) fails the operation with a network timeout that names it, and a read is retried.
    await mongoose.connect(testMongoUrl(), { dbName, serverSelectionTimeoutMS: 10_000, socketTimeoutMS: 30_000 });
    await Promise.all(Object.values(mongoose.models).map((m) => m.syncIndexes()));
  });
  beforeEach(async () => {
    const collections = await mongoose.connection.db!.collections();
    await Promise.all(collections.map((c) => c.deleteMany({})));
  });
  afterAll(async () => {
    await mongoose.connection.dropDatabase().catch(() => undefined);
    await mongoose.disconnect();
  });
  return { dbName };
}
