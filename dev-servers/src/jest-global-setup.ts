import { startMongoServer, type TestServer } from './servers';

/**
 * Jest globalSetup: one MongoDB-wire server for the whole run unless MONGO_URL names one.
 * Test files isolate themselves with a database of their own (useTestDatabase). Idempotent
 * across projects of a multi-project run: the first one starts the server.
 */
export default async function globalSetup(): Promise<void> {
  if (process.env.MONGO_URL) return;
  const server = await startMongoServer();
  process.env.MONGO_URL = server.url;
  process.env.MONGO_SERVER_KIND = server.kind;
  (globalThis as { __TICKETING_MONGO__?: TestServer }).__TICKETING_MONGO__ = server;
  process.stdout.write(`\n[tests] MongoDB-wire server: ${server.kind} at ${server.url}\n`);
}
