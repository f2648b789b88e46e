import Form from 'next/form';
import { SORTS, type TicketSearch } from '@/lib/ticket-search';

/**
 * The catalogue search: a GET form onto the landing page's query string (works without
 * JavaScript; with it, next/form navigates without a full reload). A new search starts at page one.
 */
export function SearchForm({ search }: { search: TicketSearch }) {
  return (
    <Form action="/" className="search" role="search" aria-label="Search tickets">
      <div className="field search-title">
        <label htmlFor="search-q">Title</label>
        <input id="search-q" name="q" type="search" defaultValue={search.q} autoComplete="off" />
      </div>
      <div className="field">
        <label htmlFor="search-min">Min price</label>
        <input id="search-min" name="minPrice" inputMode="decimal" defaultValue={search.minPrice} autoComplete="off" />
      </div>
      <div className="field">
        <label htmlFor="search-max">Max price</label>
        <input id="search-max" name="maxPrice" inputMode="decimal" defaultValue={search.maxPrice} autoComplete="off" />
      </div>
      <div className="field">
        <label htmlFor="search-sort">Sort</label>
        <select id="search-sort" name="sort" defaultValue={search.sort}>
          {SORTS.map((s) => (
            <option key={s.value} value={s.value}>
              {s.label}
            </option>
          ))}
        </select>
      </div>
      <button type="submit" className="button">
        Search
      </button>
    </Form>
  );
}
