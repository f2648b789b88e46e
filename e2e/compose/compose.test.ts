// compose.yaml runs the whole system from the images: brought up with the local stand-ins
// (no registry) under its own project name on a free port, the purchase and the expiry flows
// run through its edge, and `down -v` leaves nothing of the project. A machine without a
// Docker engine, the compose plugin or the images FAILS here with the command that fixes it.
import { freePortBlock } from '../support/launcher';
import { ComposeProject, composeUnavailable } from '../support/compose';
import { expiryFlow, purchaseFlow } from '../support/flows';

/** Short enough to wait out, long enough for the purchase flow to pay on a loaded machine. */
const WINDOW_SECONDS = 20;
/** Bounds against hangs (up to 14 containers starting on a shared 2-core machine), not timings. */
const UP_TIMEOUT_SECONDS = 600;

describe('docker compose: the whole system from the images (stand-ins)', () => {
  let project: ComposeProject | undefined;
  let unavailable: string | undefined;

  beforeAll(async () => {
    unavailable = await composeUnavailable();
    if (unavailable) return;
    project = new ComposeProject(`ticketing-compose-e2e-${process.pid}`, await freePortBlock(1), { EXPIRATION_WINDOW_SECONDS: String(WINDOW_SECONDS) });
    await project.writeEnv();
    const started = Date.now();
    await project.up(UP_TIMEOUT_SECONDS);
    process.stdout.write(`[compose] ${project.name}: up → every service healthy in ${Math.round((Date.now() - started) / 1000)} s\n`);
  }, (UP_TIMEOUT_SECONDS + 180) * 1000);

  afterAll(async () => {
    await project?.down().catch(() => undefined); // the last test downs it; this covers a failure before
    project?.removeEnv();
  }, 360_000);

  const ready = () => {
    if (unavailable) throw new Error(unavailable);
    return project!;
  };

  it('purchase: list → order → pay with tok_visa → complete, through the edge', async () => {
    await purchaseFlow(ready().baseUrl());
  }, 300_000);

  it(`expiry: an unpaid order is cancelled after the ${WINDOW_SECONDS} s window and the ticket is listed again`, async () => {
    await expiryFlow(ready().baseUrl(), WINDOW_SECONDS);
  }, 300_000);

  it('every container: a non-root uid, a read-only root, no capabilities, healthy (the one-shot volume owner: exited, CAP_CHOWN only)', async () => {
    const containers = await ready().containers();
    expect(containers.map((c) => c.service).sort()).toEqual(
      ['auth', 'auth-mongo', 'client', 'edge', 'expiration', 'live', 'nats', 'nats-data-owner', 'orders', 'orders-mongo', 'payments', 'payments-mongo', 'redis', 'tickets', 'tickets-mongo'],
    );
    for (const c of containers) {
      expect({ service: c.service, readOnlyRoot: c.readOnlyRoot, capDrop: c.capDrop }).toEqual({ service: c.service, readOnlyRoot: true, capDrop: ['ALL'] });
      if (c.service === 'nats-data-owner') {
        expect({ user: c.user, status: c.status }).toEqual({ user: '0:0', status: 'exited' });
        continue;
      }
      expect({ service: c.service, user: c.user }).toEqual({ service: c.service, user: expect.stringMatching(/^[1-9]\d*:[1-9]\d*$/) });
      expect({ service: c.service, health: c.health }).toEqual({ service: c.service, health: 'healthy' });
    }
  });

  it('down -v leaves no container, network or volume of the project', async () => {
    const p = ready();
    expect((await p.leftovers()).containers.length).toBeGreaterThan(0);
    await p.down();
    expect(await p.leftovers()).toEqual({ containers: [], networks: [], volumes: [] });
  }, 360_000);
});
