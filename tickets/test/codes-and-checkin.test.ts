import { generateSessionKeyPair, useServiceTestEnv } from '@ticketing/dev-servers';
import { createPrivateKey, createPublicKey } from 'node:crypto';
import request from 'supertest';
import { verifyEs256 } from '@ticketing/common';
import { signTicketCode } from '../src/domain/ticket-code';
import { lifecycle, person, type Person } from './lifecycle';
import { settledTicketEvents, testCodeKeyPair, ticketsTestOptions } from './support';
import { ticketsService } from '../src/service';

const events = useServiceTestEnv(ticketsService, ticketsTestOptions('tickets_codes'));
const app = events.app();
const life = lifecycle(app, events);
const { api } = life;

/** A ticket created by `organizer` and bought by `holder`. */
async function delivered(organizer = person(), holder = person()) {
  const t = await life.createTicket(organizer, { title: 'Festival', price: 40 });
  await life.buy(t.id, holder);
  return { t, organizer, holder };
}
const codeOf = async (id: string, holder: Person): Promise<string> => {
  const res = await api.code(id, holder);
  expect(res.status).toBe(200);
  return res.body.code;
};

describe('GET /api/tickets/:id/code', () => {
  it('the holder gets a code for the current delivery; a scanner verifies it offline with the published key', async () => {
    const { t, holder } = await delivered();
    const res = await api.code(t.id, holder);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ticketId: t.id, code: expect.any(String), delivery: 1, checkedIn: false });
    expect(res.headers['cache-control']).toBe('no-store');

    const keys = await api.get('/api/tickets/code-keys');
    expect(keys.status).toBe(200);
    expect(keys.body.keys).toHaveLength(1);
    const [{ kid, alg, jwk }] = keys.body.keys;
    expect({ kid, alg }).toEqual({ kid: testCodeKeyPair.kid, alg: 'ES256' });
    expect(jwk).not.toHaveProperty('d'); // public only
    const header = JSON.parse(Buffer.from(res.body.code.split('.')[0], 'base64url').toString());
    expect(header).toMatchObject({ alg: 'ES256', kid });
    const claims = verifyEs256(res.body.code, new Map([[kid, createPublicKey({ key: jwk, format: 'jwk' })]]));
    expect(claims).toEqual({ tid: t.id, d: 1, h: holder.id, iat: expect.any(Number) });
  });

  it('nobody but the holder: the organizer and others 403, signed out 401', async () => {
    const { t, organizer } = await delivered();
    expect((await api.code(t.id, organizer)).status).toBe(403);
    expect((await api.code(t.id, person())).status).toBe(403);
    expect((await api.get(`/api/tickets/${t.id}/code`)).status).toBe(401);
  });

  it('400 while the holder has it listed for resale (no valid code); 403 for a ticket never sold; 404 unknown', async () => {
    const { t, holder, organizer } = await delivered();
    expect((await api.put(t.id, { title: 'Festival', price: 40 }, holder)).status).toBe(200);
    const res = await api.code(t.id, holder);
    expect(res.status).toBe(400);
    expect(res.body.errors[0].message).toMatch(/listed for sale/);
    const unsold = await life.createTicket(organizer);
    expect((await api.code(unsold.id, organizer)).status).toBe(403);
    expect((await api.code('0123456789abcdef01234567', organizer)).status).toBe(404);
  });
});

describe('POST /api/tickets/:id/checkin', () => {
  it('the organizer admits the code once: 200, checkedIn, one ticket.updated; a second scan 409 "Ticket already used"', async () => {
    const { t, organizer, holder } = await delivered();
    const code = await codeOf(t.id, holder);
    const first = await api.checkin(t.id, code, organizer);
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ admitted: true, ticketId: t.id, holderId: holder.id, checkedInAt: expect.any(String) });
    expect(await life.ticketNow(t.id)).toMatchObject({ version: 3, checkedInAt: new Date(first.body.checkedInAt) });
    expect((await settledTicketEvents(events.bus, t.id)).map((e) => e.data.version)).toEqual([0, 1, 2, 3]);

    const again = await api.checkin(t.id, code, organizer);
    expect(again.status).toBe(409);
    expect(again.body).toEqual({ errors: [{ message: 'Ticket already used' }] });
    // A code fetched after the check-in is of the same delivery: used too.
    const later = await api.code(t.id, holder);
    expect(later.body.checkedIn).toBe(true);
    expect((await api.checkin(t.id, later.body.code, organizer)).status).toBe(409);
    expect((await api.get('/api/tickets/mine', holder)).body[0]).toMatchObject({ id: t.id, checkedIn: true });
  });

  it('50 scans of one code at once: exactly one 200, every other 409 "Ticket already used"', async () => {
    const { t, organizer, holder } = await delivered();
    const code = await codeOf(t.id, holder);
    const answers = await Promise.all(Array.from({ length: 50 }, () => api.checkin(t.id, code, organizer)));
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(49);
    for (const a of answers.filter((x) => x.status === 409)) expect(a.body.errors[0].message).toBe('Ticket already used');
    expect(await life.ticketNow(t.id)).toMatchObject({ version: 3 });
  });

  it('only the organizer: the holder and others 403; signed out 401', async () => {
    const { t, holder } = await delivered();
    const code = await codeOf(t.id, holder);
    expect((await api.checkin(t.id, code, holder)).status).toBe(403);
    expect((await api.checkin(t.id, code, person())).status).toBe(403);
    expect((await api.checkin(t.id, code, { id: '', cookie: [] })).status).toBe(401);
    expect((await life.ticketNow(t.id)).checkedInAt).toBeUndefined();
  });

  it('400 "Invalid ticket code": garbage, another ticket\'s code, a code signed by another key, a tampered payload, no code', async () => {
    const { t, organizer, holder } = await delivered();
    const other = await delivered(organizer);
    const otherCode = await codeOf(other.t.id, other.holder);
    const stranger = generateSessionKeyPair(testCodeKeyPair.kid); // same kid, other key
    const forged = signTicketCode({ tid: t.id, d: 1, h: holder.id }, { kid: stranger.kid, privateKey: createPrivateKey(stranger.privateKeyPem) });
    const [h, , s] = (await codeOf(t.id, holder)).split('.');
    const tampered = [h, Buffer.from(JSON.stringify({ tid: t.id, d: 1, h: organizer.id })).toString('base64url'), s].join('.');
    for (const code of ['not-a-code', otherCode, forged, tampered]) {
      const res = await api.checkin(t.id, code, organizer);
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ errors: [{ message: 'Invalid ticket code', field: 'code' }] });
    }
    for (const code of [undefined, 42, '']) expect((await api.checkin(t.id, code, organizer)).status).toBe(400);
    expect((await life.ticketNow(t.id)).checkedInAt).toBeUndefined();
  });

  it('after a resale the old code is 409 "Ticket code was superseded"; the new holder\'s code admits', async () => {
    const { t, organizer, holder } = await delivered();
    const oldCode = await codeOf(t.id, holder);
    expect((await api.put(t.id, { title: 'Festival', price: 45 }, holder)).status).toBe(200);
    // Listed again: the old code is already dead.
    const whileListed = await api.checkin(t.id, oldCode, organizer);
    expect(whileListed.status).toBe(409);
    expect(whileListed.body).toEqual({ errors: [{ message: 'Ticket code was superseded' }] });

    const second = person();
    await life.buy(t.id, second);
    expect(await life.ticketNow(t.id)).toMatchObject({ holderId: second.id, delivery: 2 });
    expect((await api.code(t.id, holder)).status).toBe(403);
    expect((await api.checkin(t.id, oldCode, organizer)).body.errors[0].message).toBe('Ticket code was superseded');
    const newCode = await codeOf(t.id, second);
    const admitted = await api.checkin(t.id, newCode, organizer);
    expect(admitted.status).toBe(200);
    expect(admitted.body.holderId).toBe(second.id);
    expect((await api.checkin(t.id, oldCode, organizer)).body.errors[0].message).toBe('Ticket code was superseded');
  });

  it('a checked-in ticket resold: the used code is superseded, the next holder is admitted afresh', async () => {
    const { t, organizer, holder } = await delivered();
    const used = await codeOf(t.id, holder);
    expect((await api.checkin(t.id, used, organizer)).status).toBe(200);
    expect((await api.put(t.id, { title: 'Festival', price: 40 }, holder)).status).toBe(200);
    expect((await api.get(`/api/tickets/${t.id}`)).body).toMatchObject({ status: 'available', checkedIn: false });
    const next = person();
    await life.buy(t.id, next);
    expect((await api.checkin(t.id, used, organizer)).body.errors[0].message).toBe('Ticket code was superseded');
    expect((await api.checkin(t.id, await codeOf(t.id, next), organizer)).status).toBe(200);
  });
});

describe('without a code key (TICKET_CODE_SIGNING_KEY unset)', () => {
  const bare = events.app({ env: { TICKET_CODE_SIGNING_KEY: '', TICKET_CODE_KEY_ID: '' } });
  it('publishes no keys, and a code or a check-in is a 503', async () => {
    const { t, organizer, holder } = await delivered();
    expect((await request(bare).get('/api/tickets/code-keys')).body).toEqual({ keys: [] });
    expect((await request(bare).get(`/api/tickets/${t.id}/code`).set('Cookie', holder.cookie)).status).toBe(503);
    expect((await request(bare).post(`/api/tickets/${t.id}/checkin`).set('Cookie', organizer.cookie).send({ code: 'x' })).status).toBe(503);
  });
});
