// The landing page's catalogue search lives in the query string (shareable, back-button
// friendly): `/?q=&minPrice=&maxPrice=&sort=&cursor=`, passed on to GET /api/tickets.

export const SORTS = [
  { value: 'newest', label: 'Newest first' },
  { value: 'price-asc', label: 'Price: low to high' },
  { value: 'price-desc', label: 'Price: high to low' },
] as const;

export type TicketSort = (typeof SORTS)[number]['value'];

export interface TicketSearch {
  q: string;
  minPrice: string;
  maxPrice: string;
  sort: TicketSort;
  /** The API's next-page cursor (X-Next-Cursor) of the page before. */
  cursor: string;
}

type RawParams = Record<string, string | string[] | undefined>;

const one = (value: string | string[] | undefined): string => (typeof value === 'string' ? value.trim() : '');

/** The search as the query string states it (unknown sorts read as newest; the API judges the rest). */
export function searchFromParams(params: RawParams): TicketSearch {
  const sort = one(params.sort);
  return {
    q: one(params.q),
    minPrice: one(params.minPrice),
    maxPrice: one(params.maxPrice),
    sort: SORTS.some((s) => s.value === sort) ? (sort as TicketSort) : 'newest',
    cursor: one(params.cursor) || one(params.before),
  };
}

function queryOf(search: TicketSearch, cursorName: string): string {
  const query = new URLSearchParams();
  if (search.q) query.set('q', search.q);
  if (search.minPrice) query.set('minPrice', search.minPrice);
  if (search.maxPrice) query.set('maxPrice', search.maxPrice);
  if (search.sort !== 'newest') query.set('sort', search.sort);
  if (search.cursor) query.set(cursorName, search.cursor);
  const text = query.toString();
  return text ? `?${text}` : '';
}

/** GET /api/tickets for this search. */
export function apiPathOf(search: TicketSearch): string {
  return `/api/tickets${queryOf(search, 'cursor')}`;
}

/** The landing page showing this search from `cursor` on (the first page without one). */
export function pageHrefOf(search: TicketSearch, cursor = ''): string {
  return `/${queryOf({ ...search, cursor }, 'cursor')}`;
}

/** Whether the visitor narrowed the catalogue (then "nothing for sale" reads "nothing matches"). */
export function isFiltered(search: TicketSearch): boolean {
  return search.q !== '' || search.minPrice !== '' || search.maxPrice !== '';
}
