// What each middleware of the services' shared app (common/src/service/app.ts) costs per
// request: the same stack built here with one middleware left out at a time, each variant
// served in this process and hammered by an in-process keep-alive client with a session
// cookie, rounds interleaved so the machine's load hits every variant alike. CPU µs per
// request = this process's CPU time (server + client) ÷ requests; the client's share is the
// same in every variant, so "full − without X" is X's cost.
//   npx tsx bench/tools/middleware-cost.ts [requests=4000] [rounds=3]
import http from 'node:http';
import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import cookieSession from 'cookie-session';
import express, { type RequestHandler } from 'express';
import helmet from 'helmet';
import pino from 'pino';
import { pinoHttp } from 'pino-http';
import { accessLog, createMetrics, currentUser, rejectUnsafeKeys } from '@ticketing/common';
import { signin, testSessionKey, testSessionKeys } from '@ticketing/dev-servers';

const N = Number(process.argv[2] ?? 4000);
const ROUNDS = Number(process.argv[3] ?? 3);
const pair = testSessionKey();
const keys = testSessionKeys(pair);
const cookie = signin({ id: '5f0000000000000000000001' }, { pair })[0];
const body = Array.from({ length: 50 }, (_, i) => ({ id: String(i).padStart(24, '0'), title: `Ticket ${i}`, price: 10 + i, userId: 'u'.repeat(24), version: 0 }));
// Log lines go through pino to a sink (as to the stack's pipe), not to the terminal.
const logger = pino({ level: 'info' }, new Writable({ write: (_c, _e, done) => done() }));
const metrics = createMetrics('bench');

const requestId: RequestHandler = (req, res, next) => {
  req.id = randomUUID();
  res.set('x-request-id', req.id);
  next();
};
const timer: RequestHandler = (req, res, next) => {
  const end = metrics.httpDuration.startTimer({ method: req.method });
  res.on('finish', () => end({ route: '/api/tickets', status: String(res.statusCode) }));
  next();
};
const STACK: [string, RequestHandler][] = [
  ['request id', requestId],
  ['access log', accessLog(logger, 0.01)],
  ['metrics timer', timer],
  ['helmet', helmet()],
  ['express.json', express.json({ limit: '16kb' })],
  ['rejectUnsafeKeys', rejectUnsafeKeys],
  ['cookie-session', cookieSession({ name: 'session', signed: false, httpOnly: true, sameSite: 'lax' })],
  ['currentUser (ES256 verify)', currentUser(keys)],
];
const PINO_HTTP: RequestHandler = pinoHttp({ logger, genReqId: (req) => (req as express.Request).id }) as RequestHandler;

function app(stack: [string, RequestHandler][]) {
  const a = express();
  a.disable('x-powered-by');
  for (const [, mw] of stack) a.use(mw);
  a.get('/api/tickets', (_req, res) => void res.send(body));
  return a;
}

const VARIANTS: [string, express.Express][] = [
  ['full (sampled access log)', app(STACK)],
  ['full, pino-http on every request (before)', app(STACK.map(([n, mw]) => (n === 'access log' ? ['pino-http', PINO_HTTP] : [n, mw])))],
  ...STACK.map(([name]): [string, express.Express] => [`without ${name}`, app(STACK.filter(([n]) => n !== name))]),
  ['bare express (no middleware)', app([])],
];

async function hammer(server: http.Server): Promise<number> {
  const { port } = server.address() as { port: number };
  const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
  let sent = 0;
  const worker = async () => {
    while (sent < N) {
      sent++;
      await new Promise<void>((resolve, reject) => {
        http
          .get({ port, host: '127.0.0.1', path: '/api/tickets', agent, headers: { cookie } }, (res) => {
            res.resume();
            res.on('end', resolve);
          })
          .on('error', reject);
      });
    }
  };
  const before = process.cpuUsage();
  await Promise.all(Array.from({ length: 16 }, worker));
  const used = process.cpuUsage(before);
  agent.destroy();
  return (used.user + used.system) / N;
}

async function main() {
  const results = new Map<string, number[]>();
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, a] of VARIANTS) {
      const server = http.createServer(a);
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      await hammer(server); // warm-up
      const us = await hammer(server);
      server.close();
      results.set(name, [...(results.get(name) ?? []), Math.round(us)]);
    }
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const full = median(results.get(VARIANTS[0][0])!);
  process.stdout.write(`| variant | CPU µs per request (${ROUNDS} rounds) | median | Δ vs full |\n| --- | --- | --- | --- |\n`);
  for (const [name, us] of results) process.stdout.write(`| ${name} | ${us.join(' / ')} | ${median(us)} | ${median(us) - full} |\n`);
}

// void: a failure is an unhandled rejection, which prints it and exits with status 1, as a CLI should.
void main();
