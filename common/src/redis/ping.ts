/** The one command a readiness check needs (an ioredis client, or Bull's). */
export interface Pingable {
  ping(): Promise<string>;
}

/**
 * Readiness: true when Redis answers PING within `timeoutMs`, false when it refuses or is late
 * (a probe must answer quickly while Redis is down, never hang or throw).
 */
export async function answersPing(client: Pingable, timeoutMs = 1_000): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  const pong = client.ping().then(
    (reply) => reply === 'PONG',
    () => false,
  );
  try {
    return await Promise.race([pong, late]);
  } finally {
    clearTimeout(timer);
  }
}
