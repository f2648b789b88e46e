import { answersPing } from '../src';

/** The readiness ping (auth's rate-limit store, the expiration queue): quick false, never a throw. */
describe('answersPing', () => {
  it('is true when Redis answers PONG', async () => {
    await expect(answersPing({ ping: async () => 'PONG' })).resolves.toBe(true);
  });

  it('is false for another answer or a refused command', async () => {
    await expect(answersPing({ ping: async () => 'LOADING' })).resolves.toBe(false);
    await expect(answersPing({ ping: () => Promise.reject(new Error('Connection is closed.')) })).resolves.toBe(false);
  });

  it('is false once the timeout passes without an answer', async () => {
    await expect(answersPing({ ping: () => new Promise<string>(() => undefined) }, 50)).resolves.toBe(false);
  });
});
