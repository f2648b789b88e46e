import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { defineListener, ListenerRunner, Publisher, Subjects, type EventData } from '../src';
import { parseArgs } from '../src/cli/deadletters/args';
import { eventually, randomObjectId, storedEvents, useTestJetStream } from '@ticketing/dev-servers';

/** `npm run deadletters -- …` spawned as an operator runs it, against a real JetStream. */
const root = path.resolve(__dirname, '..', '..');
const run = promisify(execFile);

async function deadletters(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ stdout: string; code: number }> {
  try {
    const admin = { NATS_USER: 'admin', NATS_PASSWORD: jet.nats.credentials('admin').pass };
    const { stdout } = await run('npm', ['run', '-s', 'deadletters', '--', ...args], { cwd: root, env: { ...process.env, ...admin, ...env } });
    return { stdout, code: 0 };
  } catch (err) {
    const e = err as { stdout: string; stderr: string; code: number };
    return { stdout: `${e.stdout}${e.stderr}`, code: e.code };
  }
}

const jet = useTestJetStream();

const stored = () => storedEvents<{ service: string; subject: string; data: string }>(jet.bus.jsm, 'deadletter.>');

it('lists, shows and replays dead letters', async () => {
  const service = `cli${Date.now()}`;
  let broken = true;
  const handled: string[] = [];
  const runner = new ListenerRunner(jet.bus.js, jet.bus.jsm, { service, logger: jet.bus.logger, maxHandlerFailures: 1, retryDelayMs: 50 });
  await runner.start([
    defineListener({
      subject: Subjects.TicketCreated,
      handle: async (d) => {
        if (broken) throw new Error('a bug, fixed later');
        handled.push(d.id);
      },
    }),
    defineListener({ subject: Subjects.OrderCancelled, handle: async () => undefined }),
  ]);
  const event: EventData<'ticket.created'> = { id: randomObjectId(), version: 0, title: 'concert', price: 10, userId: 'u1' };
  await new Publisher(jet.bus.js).publish(Subjects.TicketCreated, event);
  await eventually(async () => (await stored()).length === 1);
  await jet.bus.js.publish('order.cancelled', new TextEncoder().encode('{not json'));
  const [bug, malformed] = await eventually(async () => {
    const all = await stored();
    return all.length === 2 ? all : undefined;
  });

  const list = await deadletters(['list', '--nats-url', jet.nats.url]);
  expect(list.code).toBe(0);
  const lines = list.stdout.trim().split('\n');
  expect(lines[0]).toMatch(/^SEQ\s+TIME\s+SERVICE\s+SUBJECT\s+REASON\s+ERROR$/);
  expect(lines[1]).toMatch(new RegExp(`^${bug.seq}\\s+\\S+Z\\s+${service}\\s+ticket\\.created\\s+handler-failed\\s+a bug, fixed later$`));
  expect(lines[2]).toMatch(new RegExp(`^${malformed.seq}\\s+\\S+Z\\s+${service}\\s+order\\.cancelled\\s+malformed-json\\s+`));

  const show = await deadletters(['show', String(bug.seq)], { NATS_URL: jet.nats.url });
  expect(show.code).toBe(0);
  expect(JSON.parse(show.stdout)).toMatchObject({ seq: bug.seq, service, subject: 'ticket.created', reason: 'handler-failed', payload: event });

  broken = false; // the bug is fixed: replay the event
  const replay = await deadletters(['replay', String(bug.seq), `--nats-url=${jet.nats.url}`]);
  expect(replay.code).toBe(0);
  expect(replay.stdout).toContain(`replayed dead letter ${bug.seq} to ticket.created`);
  await eventually(() => handled.includes(event.id));
  expect((await stored()).map((d) => d.seq)).toEqual([malformed.seq]); // the replayed one is gone

  // Replaying something that can never succeed: it is dead-lettered again.
  const all = await deadletters(['replay', '--all', '--nats-url', jet.nats.url]);
  expect(all.stdout).toContain(`replayed dead letter ${malformed.seq} to order.cancelled`);
  const again = await eventually(async () => {
    const now = await stored();
    return now.length === 1 && now[0].seq !== malformed.seq ? now : undefined;
  });
  expect(again[0].subject).toBe(`deadletter.${service}.order.cancelled`);

  expect((await deadletters(['show', '999999', '--nats-url', jet.nats.url])).code).toBe(1);
  const usage = await deadletters(['frobnicate']);
  expect(usage.code).toBe(2);
  expect(usage.stdout).toContain('replay --all');
  await runner.stop();
});

it('takes the admin credentials from NATS_PASSWORD, else from the local stack’s state folder', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'deadletters-state-'));
  try {
    expect(parseArgs(['list'], { STATE_DIR: dir }).credentials).toBeUndefined();
    writeFileSync(path.join(dir, 'credentials.json'), JSON.stringify({ nats: { admin: 'from-state' } }));
    expect(parseArgs(['list'], { STATE_DIR: dir }).credentials).toEqual({ user: 'admin', pass: 'from-state' });
    expect(parseArgs(['list'], { STATE_DIR: dir, NATS_PASSWORD: 'given' }).credentials).toEqual({ user: 'admin', pass: 'given' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
