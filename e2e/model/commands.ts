import fc from 'fast-check';
import { sleep } from '@ticketing/dev-servers';
import { THINK_MAX_MS } from './config';
import { Calm, FlushRedis, KillAndRestart, PauseAndResume, PublishInvalidEvents } from './fault-commands';
import { idSpelling, priceInput, titleInput } from './inputs';
import type { Model } from './model';
import type { RealSystem } from './system';
import { CancelOrder, OrderTicket, RushTicket, ViewOrders, WaitPastExpiry } from './order-commands';
import { CancelWhilePaying, PayOrder } from './payment-commands';
import { CreateTicket, EditTicket, ListTickets } from './ticket-commands';
import { CheckInCode, ResellTicket, ShowTicketCode, WithdrawResale } from './resale-commands';
import { JoinWaitlist, LeaveWaitlist, ViewWaitlist } from './waitlist-commands';

type Command = fc.AsyncCommand<Model, RealSystem>;
type Cmd = fc.Arbitrary<Command>;
const pick = fc.nat({ max: 1_000 });

/** A user's command followed by a moment of thought, so that users' work spans the faults. */
class ThenThink implements Command {
  constructor(
    readonly command: Command,
    readonly thinkMs: number,
  ) {}
  check(m: Readonly<Model>): boolean {
    return this.command.check(m);
  }
  async run(m: Model, r: RealSystem): Promise<void> {
    await this.command.run(m, r);
    await sleep(this.thinkMs);
  }
  toString(): string {
    return `${this.command.toString()}+${this.thinkMs}ms`;
  }
}

const thinking = (cmds: Cmd[]): Cmd[] =>
  cmds.map((c) => fc.tuple(c, fc.integer({ min: 100, max: THINK_MAX_MS })).map(([command, ms]) => new ThenThink(command, ms)));

/** What one user does, weighted like a marketplace: mostly selling, buying and paying; some waiting in line, showing e-tickets, reselling and checking in. */
export function userCommands(user: number): Cmd[] {
  const w = (weight: number, arbitrary: Cmd) => Array<Cmd>(weight).fill(arbitrary);
  return thinking([
    ...w(2, fc.constant(new ListTickets(user))),
    ...w(4, fc.tuple(titleInput, priceInput).map(([t, p]) => new CreateTicket(user, t, p))),
    ...w(2, fc.tuple(pick, idSpelling, titleInput, priceInput).map(([n, s, t, p]) => new EditTicket(user, n, s, t, p))),
    ...w(5, fc.tuple(pick, idSpelling).map(([n, s]) => new OrderTicket(user, n, s))),
    ...w(1, fc.tuple(pick, fc.array(idSpelling, { minLength: 3, maxLength: 3 })).map(([n, ss]) => new RushTicket(user, n, ss))),
    ...w(2, fc.tuple(pick, idSpelling).map(([n, s]) => new CancelOrder(user, n, s))),
    ...w(4, fc.tuple(pick, idSpelling).map(([n, s]) => new PayOrder(user, n, 'tok_visa', s))),
    ...w(1, fc.tuple(pick, idSpelling).map(([n, s]) => new PayOrder(user, n, 'tok_chargeDeclined', s))),
    ...w(1, pick.map((n) => new CancelWhilePaying(user, n))),
    ...w(1, fc.tuple(pick, idSpelling).map(([n, s]) => new ViewOrders(user, n, s))),
    ...w(1, fc.constant(new WaitPastExpiry(user))),
    ...w(2, fc.tuple(pick, idSpelling).map(([n, s]) => new JoinWaitlist(user, n, s))),
    ...w(1, fc.tuple(pick, idSpelling).map(([n, s]) => new LeaveWaitlist(user, n, s))),
    ...w(1, fc.constant(new ViewWaitlist(user))),
    ...w(2, pick.map((n) => new ShowTicketCode(user, n))),
    ...w(1, fc.tuple(pick, priceInput).map(([n, p]) => new ResellTicket(user, n, p))),
    ...w(1, pick.map((n) => new WithdrawResale(user, n))),
    ...w(2, pick.map((n) => new CheckInCode(user, n))),
  ]);
}

/** The fault sequence: SIGKILL and restart, SIGSTOP and SIGCONT, FLUSHALL, invalid events, calm spells. */
export function faultCommands(killMongo: boolean): Cmd[] {
  return [
    fc.tuple(pick, fc.integer({ min: 300, max: 2_500 })).map(([n, ms]) => new KillAndRestart(n, ms, killMongo)),
    fc.tuple(pick, fc.integer({ min: 300, max: 2_500 })).map(([n, ms]) => new KillAndRestart(n, ms, killMongo)),
    fc.tuple(pick, fc.integer({ min: 1_500, max: 6_000 })).map(([n, ms]) => new PauseAndResume(n, ms)),
    fc.tuple(pick, fc.integer({ min: 1_500, max: 6_000 })).map(([n, ms]) => new PauseAndResume(n, ms)),
    fc.constant(new FlushRedis()),
    pick.map((n) => new PublishInvalidEvents(n)),
    fc.integer({ min: 1_000, max: 5_000 }).map((ms) => new Calm(ms)),
  ];
}
