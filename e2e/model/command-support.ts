/** What every user command shares: the answers' shapes, choosing among what exists, the command base. */
import type fc from 'fast-check';
import type { Model, ModelOrder } from './model';
import type { RealSystem } from './system';

/** What the services answer (only the fields the checks read). */
export interface TicketBody {
  id: string;
  title: string;
  price: number;
  version: number;
}
export interface OrderBody {
  id: string;
  status: string;
  expiresAt: string;
  ticket: { id: string; price: number };
}

export const show = (v: unknown) => JSON.stringify(v)?.slice(0, 120);
export const is4xx = (s: number) => s >= 400 && s < 500;
/** An outage's answer (no answer, 5xx): whether it was excused is checked by RealSystem.call. */
export const isOutage = (s: number) => s === 0 || s >= 500;

/** `pick` chooses among `items`: mostly the newest few (where buyers crowd), otherwise any. */
export function choose<T>(items: T[], pick: number): T | undefined {
  if (!items.length) return undefined;
  const recent = items.slice(-4);
  return pick % 10 < 7 ? recent[pick % recent.length] : items[pick % items.length];
}

/** A command one user runs; every command is applicable (it picks among what exists when it runs). */
export abstract class UserCommand implements fc.AsyncCommand<Model, RealSystem> {
  constructor(readonly user: number) {}
  check(): boolean {
    return true;
  }
  abstract run(m: Model, r: RealSystem): Promise<void>;
  abstract toString(): string;
}

/** `user`'s acknowledged orders (those matching `also`). */
export function ownOrders(m: Model, user: number, also: (o: ModelOrder) => boolean = () => true): ModelOrder[] {
  return [...m.orders.values()].filter((o) => o.buyer === user && also(o));
}
