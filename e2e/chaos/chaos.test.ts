/**
 * Chaos: the whole system (REPLICAS=2) under a mixed load while one part at a time is
 * SIGKILLed and restarted — a replica of each service, the expiration worker, NATS and Redis
 * — at seeded random moments. When the load stops and the system has settled, the final
 * state is checked against every invariant (replicas equal their owners, one holder per
 * ticket, one payment per order, expiry, acknowledged writes kept) and a report is printed.
 *
 *   CHAOS_SEED=<n>              replay a run's random choices (the seed is printed)
 *   CHAOS_DURATION_SECONDS=<n>  load duration (default 75)
 *   CHAOS_MAX_REQUESTS=<n>      request budget of the load (default 30000)
 *
 * Requests in flight during a kill may fail (502, no answer): allowed and counted, never
 * taken as succeeded.
 */
import { randomBytes } from 'node:crypto';
import { sleep, uniqueDbName } from '@ticketing/dev-servers';
import { openServiceDatabases, type ServiceDatabases } from '../support/databases';
import { connectNats, consumerStates } from '../support/jetstream';
import { CounterTracker } from '../support/metrics';
import { Rng, seedFrom } from '../support/rng';
import { cookieSecrets, linesWithSecrets, pemSecrets } from '../support/secrets';
import { startE2EStack, type E2EStack } from '../support/stack';
import { formatTable, report } from '../support/table';
import { serviceProcesses, waitAllReady } from '../support/faults';
import { ChaosMonkey } from './chaos-monkey';
import { checkInvariants, EXPIRY_RACE_MS } from './invariants';
import { LoadGenerator } from './load-generator';
import { waitSettled } from './settle';

const DURATION_SECONDS = Number(process.env.CHAOS_DURATION_SECONDS ?? 75);
const MAX_REQUESTS = Number(process.env.CHAOS_MAX_REQUESTS ?? 30_000);
const WINDOW_SECONDS = 4;
const REPLICAS = 2;
/** Bound on "the system settles": the longest listener backoff is 30 s, Bull's retry 60 s. */
const SETTLE_TIMEOUT_MS = 150_000;

const seed = seedFrom('CHAOS_SEED');
const prefix = `${uniqueDbName('chaos')}_`;
const password = `chaos-pw-${randomBytes(8).toString('hex')}`;

describe(`chaos under load (REPLICAS=${REPLICAS}, order window ${WINDOW_SECONDS} s, seed ${seed})`, () => {
  let stack: E2EStack;
  let dbs: ServiceDatabases | undefined;

  beforeAll(async () => {
    process.stdout.write(`\n[chaos] seed ${seed} (replay with CHAOS_SEED=${seed}), load ${DURATION_SECONDS} s, at most ${MAX_REQUESTS} requests\n`);
    stack = await startE2EStack({
      replicas: REPLICAS,
      env: { EXPIRATION_WINDOW_SECONDS: String(WINDOW_SECONDS), MONGO_DB_PREFIX: prefix, LOG_LEVEL: 'info' },
    });
    dbs = await openServiceDatabases(stack.infra.mongo.url, prefix);
  }, 180_000);

  afterAll(async () => {
    await dbs?.close();
    await stack?.stop();
  });

  it(
    'keeps every invariant through SIGKILLs of a replica of each service, the worker, NATS and Redis',
    async () => {
      const counters = new CounterTracker(
        [
          { key: 'failures', name: 'event_delivery_failures_total', labels: {} },
          { key: 'retries', name: 'events_handled_total', labels: { outcome: 'retry' } },
          { key: 'acks', name: 'events_handled_total', labels: { outcome: 'ack' } },
          { key: 'deadLetters', name: 'events_handled_total', labels: { outcome: 'dead-letter' } },
        ],
        (p) => stack.urlOf(p),
      );
      const names = serviceProcesses(stack);
      // num_redelivered counts messages redelivered and not yet acked: sample it during the run.
      const maxRedelivered = new Map<string, number>();
      const sampleConsumers = async () => {
        try {
          for (const c of await consumerStates((await natsConn()).jsm)) {
            maxRedelivered.set(c.name, Math.max(maxRedelivered.get(c.name) ?? 0, c.redelivered));
          }
        } catch {
          // NATS is down right now (a planned kill)
        }
      };
      let scraping = true;
      const scraper = (async () => {
        while (scraping) {
          await Promise.all([counters.scrapeAll(names), sampleConsumers()]);
          await sleep(1_000);
        }
      })();

      const load = new LoadGenerator({
        base: stack.gatewayUrl,
        rng: new Rng(seed ^ 0x5bd1e995),
        durationMs: DURATION_SECONDS * 1000,
        maxRequests: MAX_REQUESTS,
        workers: 10,
        windowSeconds: WINDOW_SECONDS,
        password,
      });
      const monkey = new ChaosMonkey(stack, new Rng(seed), counters, REPLICAS);
      let loadRunning = true;
      const startedAt = Date.now();
      await Promise.all([
        load.run().finally(() => {
          loadRunning = false;
        }),
        monkey.run(() => loadRunning),
      ]);
      const loadSeconds = (Date.now() - startedAt) / 1000;
      expect(await waitAllReady(stack)).toBeDefined();

      // Settle: poll until nothing is left to happen, twice in a row (bounded).
      const { problems, seconds: settleSeconds } = await waitSettled(dbs!, async () => (await natsConn()).jsm, SETTLE_TIMEOUT_MS);
      scraping = false;
      await scraper;
      await counters.scrapeAll(names);

      const { nc, jsm } = await natsConn();
      await sampleConsumers();
      const { verdicts, releasedHolds } = await checkInvariants({ dbs: dbs!, nc, jsm, load, lines: stack.lines, kills: monkey.kills });

      // ---- the report ----
      report(
        `chaos run: seed ${seed}, load ${loadSeconds.toFixed(0)} s, ${load.requests} requests, settled in ${settleSeconds.toFixed(1)} s`,
        problems.length ? `NOT SETTLED after ${SETTLE_TIMEOUT_MS / 1000} s:\n  ${problems.slice(0, 10).join('\n  ')}` : 'settled',
      );
      report('requests by route and status', formatTable([['ROUTE', 'STATUS', 'COUNT'], ...load.countRows()]));
      const killsByTarget = new Map<string, number>();
      for (const k of monkey.kills) killsByTarget.set(k.target, (killsByTarget.get(k.target) ?? 0) + 1);
      report(
        'kills (SIGKILL, one at a time)',
        formatTable([
          ['AT', 'TARGET', 'DOWN MS', 'ALL READY AFTER RESTART MS'],
          ...monkey.kills.map((k) => [`+${(k.at / 1000).toFixed(1)}s`, k.target, k.downMs, k.readyAfterMs ?? 'never (90 s)']),
        ]) +
          '\n\n' +
          formatTable([['TARGET', 'KILLS'], ...[...killsByTarget].sort().map(([t, n]) => [t, n])]),
      );
      const services = ['auth', 'tickets', 'orders', 'payments', 'expiration'];
      const redelivered = (svc: string) =>
        [...maxRedelivered].filter(([name]) => name.startsWith(`${svc}-`)).reduce((s, [, n]) => s + n, 0);
      const ofService = (svc: string) => (p: string) => p.startsWith(`${svc}-`);
      report(
        'events (metrics summed over replicas and restarts; JetStream num_redelivered: highest seen per durable consumer, summed)',
        formatTable([
          ['SERVICE', 'HANDLED (ACK)', 'RETRY (NAK)', 'DELIVERY FAILURES', 'DEAD-LETTERED', 'NUM_REDELIVERED'],
          ...services.map((svc) => [
            svc,
            counters.total('acks', ofService(svc)),
            counters.total('retries', ofService(svc)),
            counters.total('failures', ofService(svc)),
            counters.total('deadLetters', ofService(svc)),
            redelivered(svc),
          ]),
          ['total', counters.total('acks'), counters.total('retries'), counters.total('failures'), counters.total('deadLetters'), [...maxRedelivered.values()].reduce((s, n) => s + n, 0)],
        ]),
      );
      // How often a payment sent in the last moments of the window loses to the expiry (its hold released).
      const racing = [...load.orders.values()].filter(
        (o) => o.paidRequestAt !== undefined && o.expiresAt - o.paidRequestAt < EXPIRY_RACE_MS && !load.provokedRaces.has(o.id),
      );
      const racingReleased = releasedHolds.filter((r) => racing.some((o) => o.id === r.orderId)).length;
      report(
        `released holds (payment authorised, order cancelled concurrently; buyer not charged): ${releasedHolds.length}`,
        (releasedHolds.length
          ? formatTable([
              ['ORDER', 'PAYMENT', 'PAYMENT SENT BEFORE EXPIRY', 'CAUSE'],
              ...releasedHolds.map((r) => [
                r.orderId,
                r.paymentId,
                r.sentBeforeExpiryMs === undefined ? '?' : `${r.sentBeforeExpiryMs} ms`,
                r.explanation ?? 'UNEXPLAINED',
              ]),
            ])
          : 'none') +
          `\n${racingReleased} of ${racing.length} payments acknowledged for requests sent < ${EXPIRY_RACE_MS} ms before expiry lost to the expiry; ` +
          `${load.provokedRaces.size} cancel+pay races provoked`,
      );
      const allOk = problems.length === 0 && verdicts.every((v) => v.ok);
      report(
        `invariants — verdict: ${allOk ? 'PASS' : 'FAIL'}`,
        formatTable([['INVARIANT', 'OK', 'DETAIL'], ...verdicts.map((v) => [v.name, v.ok ? 'yes' : 'NO', v.detail])]) +
          verdicts
            .filter((v) => !v.ok)
            .map((v) => `\n\n${v.name}:\n  ${v.examples!.join('\n  ')}`)
            .join(''),
      );

      // ---- the assertions ----
      expect(problems).toEqual([]);
      expect(verdicts.filter((v) => !v.ok)).toEqual([]);
      // Every kind of part was killed and came back.
      const kinds = new Set(monkey.kills.map((k) => k.target.replace(/-\d+$/, '')));
      expect([...kinds].sort()).toEqual(['auth', 'expiration', 'nats', 'orders', 'payments', 'redis', 'tickets']);
      expect(monkey.kills.filter((k) => k.readyAfterMs === undefined)).toEqual([]);
      // The load did exercise every path.
      expect(load.tickets.length).toBeGreaterThan(0);
      expect(load.payments.size).toBeGreaterThan(0);
      expect(load.cancelled.size).toBeGreaterThan(0);
      const finalOrders = await dbs!.orders.all<{ status: string; _id: unknown }>('orders');
      const expiredByWorker = finalOrders.filter(
        (o) => o.status === 'cancelled' && !load.cancelled.has(String(o._id)) && !load.orders.get(String(o._id))?.deleteSentAt,
      );
      expect(expiredByWorker.length).toBeGreaterThan(0);
      // No secret in any log line of the run.
      const secrets: Record<string, string> = { password, ...pemSecrets('session signing key', stack.sessionKeys.privateKeyPem) };
      [...load.sellers, ...load.buyers].forEach((a, i) => Object.assign(secrets, cookieSecrets(`#${i}`, a.cookie)));
      expect(linesWithSecrets(stack.lines, secrets)).toEqual([]);
    },
    (DURATION_SECONDS + 330) * 1000,
  );

  // One inspection connection for the whole test, reopened if it was closed.
  let conn: Awaited<ReturnType<typeof connectNats>> | undefined;
  async function natsConn() {
    if (!conn || conn.nc.isClosed()) conn = await connectNats(stack.infra.nats.server);
    return conn;
  }
  afterAll(async () => {
    await conn?.close();
  });
});
