import { WINDOW_SECONDS } from './config';
import type { ModelOrder } from './model';
import { heldAtOnce } from './order-commands';

const WINDOW_MS = WINDOW_SECONDS * 1000;
const won = (id: string, createdAt: number): ModelOrder => ({ id, ticketId: 't', buyer: 0, expiresAt: createdAt + WINDOW_MS, paid: false });

describe('a rush with two winners (model check)', () => {
  it('is a double booking when the later order was created while the earlier one still held the ticket', () => {
    expect(heldAtOnce([won('a', 0), won('b', 10)])).toBe(true);
    expect(heldAtOnce([won('b', WINDOW_MS - 1), won('a', 0)])).toBe(true);
  });

  it('is not when the later order was created after the earlier one expired (a rush stalled by a frozen database)', () => {
    expect(heldAtOnce([won('a', 0), won('b', WINDOW_MS + 1)])).toBe(false);
    expect(heldAtOnce([won('a', 0)])).toBe(false);
    expect(heldAtOnce([])).toBe(false);
  });
});
