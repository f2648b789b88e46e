import { Writable } from 'node:stream';
import { Router } from 'express';
import pino from 'pino';
import request from 'supertest';
import { baseConfigSchema, createServiceApp } from '../src';
import { testSessionKeys } from '@ticketing/dev-servers';

/** An app whose access log goes to `lines` at `level`, sampling `rate` of the requests below 500. */
function appLogging(level: string, rate: number) {
  const lines: { level: number; msg: string; req?: { method: string; url: string }; res?: { statusCode: number } }[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const l of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(l));
      done();
    },
  });
  const router = Router();
  router.get('/api/ok', (_req, res) => void res.send({ ok: true }));
  router.get('/api/down', (_req, res) => void res.status(503).send({ errors: [{ message: 'down' }] }));
  const app = createServiceApp({ logger: pino({ level }, sink), sessionKeys: testSessionKeys(), routers: [router], accessLogSampleRate: rate });
  return { app, accessLines: () => lines.filter((l) => l.msg === 'request completed') };
}

describe('access log: 5xx always, a sample of the rest, everything at debug', () => {
  it('sample rate 0 at info: no line for successes or client errors, one error line per 5xx', async () => {
    const { app, accessLines } = appLogging('info', 0);
    for (let i = 0; i < 20; i++) await request(app).get('/api/ok').expect(200);
    await request(app).get('/api/nope').expect(404);
    await request(app).get('/api/down').expect(503);
    await new Promise((r) => setImmediate(r));
    expect(accessLines()).toEqual([expect.objectContaining({ level: 50, req: expect.objectContaining({ method: 'GET', url: '/api/down' }), res: { statusCode: 503 } })]);
  });

  it('sample rate 1: every request at info', async () => {
    const { app, accessLines } = appLogging('info', 1);
    for (let i = 0; i < 5; i++) await request(app).get('/api/ok').expect(200);
    await new Promise((r) => setImmediate(r));
    expect(accessLines().map((l) => [l.level, l.res?.statusCode])).toEqual(Array(5).fill([30, 200]));
  });

  it('LOG_LEVEL=debug: every request, whatever the sample rate', async () => {
    const { app, accessLines } = appLogging('debug', 0);
    for (let i = 0; i < 5; i++) await request(app).get('/api/ok').expect(200);
    await new Promise((r) => setImmediate(r));
    expect(accessLines().map((l) => l.level)).toEqual([20, 20, 20, 20, 20]);
  });

  it('ACCESS_LOG_SAMPLE_RATE: 0.01 by default, validated as a share between 0 and 1', () => {
    expect(baseConfigSchema.safeParse({ ACCESS_LOG_SAMPLE_RATE: '0.5' }).data?.ACCESS_LOG_SAMPLE_RATE).toBe(0.5);
    const parse = (v?: string) => baseConfigSchema.safeParse({ ACCESS_LOG_SAMPLE_RATE: v });
    expect(parse(undefined).data?.ACCESS_LOG_SAMPLE_RATE).toBe(0.01);
    expect(parse('1').data?.ACCESS_LOG_SAMPLE_RATE).toBe(1);
    expect(parse('2').success).toBe(false);
    expect(parse('often').success).toBe(false);
  });
});
