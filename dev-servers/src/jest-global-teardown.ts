import type { TestServer } from './servers';

export default async function globalTeardown(): Promise<void> {
  const g = globalThis as { __TICKETING_MONGO__?: TestServer };
  await g.__TICKETING_MONGO__?.destroy();
  g.__TICKETING_MONGO__ = undefined;
}
