import { PRICE_MAX, PRICE_MIN } from '@ticketing/common';
import { signin, useServiceTestEnv } from '@ticketing/dev-servers';
import request from 'supertest';
import { Ticket } from '../src/models/ticket';
import { ticketsTestOptions } from './support';
import { ticketsService } from '../src/service';

const env = useServiceTestEnv(ticketsService, ticketsTestOptions('tickets_unicode', { events: false }));
const app = env.app();

/** Sends a raw JSON text, so lone surrogates like `\ud800` reach the server as escapes. */
const sendJson = (method: 'post' | 'put', path: string, json: string, cookie: string[]) =>
  request(app)[method](path).set('Cookie', cookie).set('Content-Type', 'application/json').send(json);

const EMOJI = '😀'; // U+1F600: one code point, two UTF-16 units, four UTF-8 bytes
const LIMIT = 120;

/** Titles every path must accept and read back byte-identical. */
const acceptedTitles: [string, string][] = [
  ['100 emoji (issue 14: was a 500)', EMOJI.repeat(100)],
  ['120 emoji (at the limit)', EMOJI.repeat(LIMIT)],
  ['120 four-byte CJK extension-B characters', '𠀀'.repeat(LIMIT)],
  ['combining sequences (e + U+0301), 60 pairs = 120 code points', 'e\u0301'.repeat(60)],
  ['decomposed and precomposed forms kept apart', 'Cafe\u0301 Café'],
  ['right-to-left text', 'حفلة موسيقية في القاهرة'],
  ['Hebrew with a bidi mark inside', 'הופעה\u200fחיה'],
  ['a zero-width-joined family emoji', '👨\u200d👩\u200d👧\u200d👦 family'],
  ['flags (regional indicator pairs)', '🇫🇷🇩🇪🇯🇵'],
  ['a keycap with a variation selector', '1\ufe0f\u20e3 row'],
  ['inner spaces of every kind', 'a\u00a0b\u3000c d'],
];

/** Titles every path must refuse with 400 on `title`. */
const refusedTitles: [string, string][] = [
  ['121 emoji (one over)', `"${EMOJI.repeat(LIMIT + 1)}"`],
  ['121 ASCII characters', `"${'x'.repeat(LIMIT + 1)}"`],
  ['a lone high surrogate', '"concert \\ud800"'],
  ['a lone low surrogate', '"\\udc00 concert"'],
  ['reversed surrogates', '"\\ude00\\ud83d"'],
  ['NUL', '"con\\u0000cert"'],
  ['a tab', '"con\\tcert"'],
  ['a newline', '"concert\\n"'],
  ['DEL', '"con\\u007fcert"'],
  ['a C1 control', '"con\\u0085cert"'],
  ['leading whitespace', '"  Concert"'],
  ['trailing whitespace', '"Concert "'],
  ['a trailing no-break space', '"Concert\\u00a0"'],
  ['only spaces', '"   "'],
  ['empty', '""'],
];

describe.each(['create', 'edit'] as const)('titles on %s', (action) => {
  const cookie = signin();
  /** POST a new ticket, or PUT over an existing one of this seller; the answer. */
  async function save(titleJson: string, priceJson = '10') {
    const json = `{"title":${titleJson},"price":${priceJson}}`;
    if (action === 'create') return sendJson('post', '/api/tickets', json, cookie);
    const made = await request(app).post('/api/tickets').set('Cookie', cookie).send({ title: 'original', price: 5 }).expect(201);
    return sendJson('put', `/api/tickets/${made.body.id}`, json, cookie);
  }

  it.each(acceptedTitles)('accepts %s and reads it back identical', async (_case, title) => {
    const res = await save(JSON.stringify(title));
    expect(res.status).toBe(action === 'create' ? 201 : 200);
    expect(res.body.title).toBe(title);
    const read = await request(app).get(`/api/tickets/${res.body.id}`).expect(200);
    expect(Buffer.from(read.body.title, 'utf8').equals(Buffer.from(title, 'utf8'))).toBe(true);
  });

  it.each(refusedTitles)('400 for %s', async (_case, titleJson) => {
    const before = await Ticket.countDocuments();
    const res = await save(titleJson);
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ field: 'title', message: expect.any(String) }]);
    expect(await Ticket.countDocuments()).toBe(before + (action === 'edit' ? 1 : 0));
  });

  it('an edit refused by the rules leaves the stored title unchanged', async () => {
    if (action === 'create') return;
    const made = await request(app).post('/api/tickets').set('Cookie', cookie).send({ title: 'kept', price: 5 }).expect(201);
    await sendJson('put', `/api/tickets/${made.body.id}`, `{"title":"${EMOJI.repeat(LIMIT + 1)}","price":5}`, cookie).expect(400);
    expect((await Ticket.findById(made.body.id).lean())!.title).toBe('kept');
  });
});

describe('prices', () => {
  const cookie = signin();

  it.each([
    ['the reference client’s "25.00"', '"25.00"', 25],
    ['a whole-number string', '"25"', 25],
    ['one decimal as a string', '"19.5"', 19.5],
    ['the minimum as a string', '"0.50"', 0.5],
    ['the maximum as a string', '"999999.99"', 999_999.99],
    ['the minimum as a number', String(PRICE_MIN), PRICE_MIN],
    ['the maximum as a number', String(PRICE_MAX), PRICE_MAX],
    ['1.15 (inexact in binary)', '1.15', 1.15],
  ])('accepts %s and stores a number', async (_case, priceJson, expected) => {
    for (const method of ['post', 'put'] as const) {
      let path = '/api/tickets';
      if (method === 'put') path += `/${(await request(app).post(path).set('Cookie', cookie).send({ title: 'p', price: 7 })).body.id}`;
      const res = await sendJson(method, path, `{"title":"t","price":${priceJson}}`, cookie);
      expect(res.status).toBe(method === 'post' ? 201 : 200);
      expect(res.body.price).toBe(expected);
      const raw = await Ticket.collection.findOne({ _id: (await Ticket.findById(res.body.id))!._id });
      expect(typeof raw!.price).toBe('number');
      expect(raw!.price).toBe(expected);
    }
  });

  it.each([
    ['below Stripe’s minimum charge', '0.49'],
    ['below the minimum as a string', '"0.49"'],
    ['one cent', '0.01'],
    ['zero', '0'],
    ['negative', '-5'],
    ['above the maximum', '1000000'],
    ['above the maximum as a string', '"1000000.00"'],
    ['three decimals as a string', '"25.001"'],
    ['an exponent', '"2.5e1"'],
    ['hex', '"0x19"'],
    ['a leading plus', '"+25"'],
    ['a leading minus', '"-25"'],
    ['spaces around', '" 25 "'],
    ['only spaces', '"  "'],
    ['empty', '""'],
    ['a leading zero', '"025"'],
    ['no digits after the point', '"25."'],
    ['no digits before the point', '".5"'],
    ['a comma', '"25,00"'],
    ['fullwidth digits', '"２５"'],
    ['Infinity', '"Infinity"'],
    ['NaN', '"NaN"'],
    ['a huge digit string', `"${'9'.repeat(400)}"`],
  ])('400 for %s, on create and edit', async (_case, priceJson) => {
    const made = await request(app).post('/api/tickets').set('Cookie', cookie).send({ title: 'p', price: 7 }).expect(201);
    for (const [method, path] of [['post', '/api/tickets'], ['put', `/api/tickets/${made.body.id}`]] as const) {
      const res = await sendJson(method, path, `{"title":"t","price":${priceJson}}`, cookie);
      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual([{ field: 'price', message: expect.any(String) }]);
    }
    expect((await Ticket.findById(made.body.id).lean())!.price).toBe(7);
  });

  it('the bounds message names both bounds', async () => {
    const res = await sendJson('post', '/api/tickets', '{"title":"t","price":0.49}', cookie).expect(400);
    expect(res.body.errors[0].message).toBe('Price must be from 0.50 to 999999.99 (what a card can be charged)');
  });
});
