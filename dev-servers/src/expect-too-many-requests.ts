/**
 * Jest assertions (run inside a test) for a request a rate limit refused: 429 in the error
 * contract, with Retry-After a whole number of seconds within the one-minute window.
 */
export function expectTooManyRequests(res: { status: number; body: unknown; headers: Record<string, unknown> }): void {
  expect(res.status).toBe(429);
  expect(res.body).toEqual({ errors: [{ message: expect.stringMatching(/too many/i) as unknown }] });
  const retryAfter = Number(res.headers['retry-after']);
  expect(Number.isInteger(retryAfter)).toBe(true);
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(60);
}
