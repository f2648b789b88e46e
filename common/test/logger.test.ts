import { createLogger } from '../src';
import { jsonLineSink } from '@ticketing/dev-servers';

/** A logger at info whose JSON lines are collected. */
function capture() {
  const { sink, lines } = jsonLineSink();
  return { logger: createLogger('demo', 'info', sink), lines };
}

// pino 10 redacts with @pinojs/redact (fast-redact before): every path of createLogger's list,
// quoted ones included, must still come out censored.
describe('createLogger', () => {
  it('censors credentials, session cookies and card tokens wherever the list names them, and keeps the rest', async () => {
    const { logger, lines } = capture();
    logger.info(
      {
        password: 'p1',
        token: 't1',
        body: { password: 'p2', token: 't2', email: 'a@b.co' },
        req: { method: 'POST', headers: { cookie: 'session=s', authorization: 'Bearer x', 'stripe-signature': 't=1,v1=sig', 'user-agent': 'ua' } },
        res: { statusCode: 200, headers: { 'set-cookie': ['session=s2'], 'content-type': 'application/json' } },
      },
      'request',
    );
    await new Promise((r) => setImmediate(r));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: 'info',
      service: 'demo',
      msg: 'request',
      password: '[redacted]',
      token: '[redacted]',
      body: { password: '[redacted]', token: '[redacted]', email: 'a@b.co' },
      req: { method: 'POST', headers: { cookie: '[redacted]', authorization: '[redacted]', 'stripe-signature': '[redacted]', 'user-agent': 'ua' } },
      res: { statusCode: 200, headers: { 'set-cookie': '[redacted]', 'content-type': 'application/json' } },
    });
    expect(JSON.stringify(lines[0])).not.toMatch(/p1|p2|t1|t2|session=|Bearer|v1=sig/);
  });
});
