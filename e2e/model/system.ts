import type { NatsUser } from '@ticketing/common';
import { Actor, type CallResult } from '../support/actor';
import { FaultInjector } from '../support/faults';
import { connectNats } from '../support/jetstream';
import type { E2EStack } from '../support/stack';
import { REQUEST_TIMEOUT_MS } from './config';
import type { Model } from './model';

/** An answer with when it was asked and answered. */
export type Timed<T> = CallResult<T> & { sentAt: number; answeredAt: number };

/**
 * The real system the commands drive: the running stack, one signed-up actor per user, the
 * fault handles, and a NATS connection for publishing invalid events.
 */
export class RealSystem {
  readonly faults: FaultInjector;
  private nats?: Awaited<ReturnType<typeof connectNats>>;

  constructor(
    readonly stack: E2EStack,
    readonly actors: Actor[],
  ) {
    this.faults = new FaultInjector(stack);
  }

  /**
   * One request by user `user`. Records the exchange; a 5xx or no answer that no fault
   * explains is a violation ("every input gives 2xx or 4xx").
   */
  async call<T = unknown>(model: Model, user: number, method: string, path: string, route: string, body?: unknown): Promise<Timed<T>> {
    const sentAt = Date.now();
    const res = await this.actors[user].call<T>(method, path, body, REQUEST_TIMEOUT_MS);
    const answeredAt = Date.now();
    model.exchanges.push({ user, route, status: res.status, sentAt, answeredAt });
    if ((res.status === 0 || res.status >= 500) && !model.excused(sentAt, answeredAt)) {
      const what = res.status === 0 ? `no answer (${res.error})` : `${res.status} ${JSON.stringify(res.body).slice(0, 200)}`;
      model.violation(`${route} by user ${user} with ${JSON.stringify(body)?.slice(0, 200) ?? 'no body'}: ${what}, no fault near it`);
    }
    return { ...res, sentAt, answeredAt };
  }

  /** The admin's inspection connection (kept open); with `user`, a new connection as that user, the caller closes it. */
  async natsConnection(user?: NatsUser) {
    if (user) return connectNats(this.stack.infra.nats.server, user);
    if (!this.nats || this.nats.nc.isClosed()) this.nats = await connectNats(this.stack.infra.nats.server);
    return this.nats;
  }

  async close(): Promise<void> {
    await this.nats?.close();
  }
}

/** Signs up `n` users (retrying briefly: the stack has just started). */
export async function signUpUsers(base: string, n: number, password: string): Promise<Actor[]> {
  const actors: Actor[] = [];
  for (let i = 0; i < n; i++) {
    const actor = new Actor(base, password);
    for (let attempt = 0; ; attempt++) {
      const res = await actor.signup();
      if (res.status === 201) break;
      if (attempt >= 20) throw new Error(`sign-up of user ${i} failed: ${res.status} ${JSON.stringify(res.body)}`);
      await new Promise((r) => setTimeout(r, 500));
    }
    actors.push(actor);
  }
  return actors;
}
