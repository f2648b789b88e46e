import { apiPathOf, isFiltered, pageHrefOf, searchFromParams } from './ticket-search';

describe('ticket search in the query string', () => {
  it('reads the search, trimming values and defaulting the sort', () => {
    expect(searchFromParams({ q: ' jazz ', minPrice: '10', maxPrice: '', sort: 'price-asc', cursor: 'c1' })).toEqual({
      q: 'jazz',
      minPrice: '10',
      maxPrice: '',
      sort: 'price-asc',
      cursor: 'c1',
    });
    expect(searchFromParams({ sort: 'bogus' }).sort).toBe('newest');
    expect(searchFromParams({ q: ['a', 'b'] }).q).toBe('');
  });

  it('accepts the older `before` cursor of bookmarked links', () => {
    expect(searchFromParams({ before: 'abc' }).cursor).toBe('abc');
  });

  it('asks the API for exactly what was searched', () => {
    expect(apiPathOf(searchFromParams({}))).toBe('/api/tickets');
    expect(apiPathOf(searchFromParams({ q: 'jazz & blues', minPrice: '5', maxPrice: '50', sort: 'price-desc', cursor: 'x' }))).toBe(
      '/api/tickets?q=jazz+%26+blues&minPrice=5&maxPrice=50&sort=price-desc&cursor=x',
    );
  });

  it('links pages of the same search', () => {
    const search = searchFromParams({ q: 'jazz', sort: 'price-asc', cursor: 'old' });
    expect(pageHrefOf(search)).toBe('/?q=jazz&sort=price-asc');
    expect(pageHrefOf(search, 'next')).toBe('/?q=jazz&sort=price-asc&cursor=next');
    expect(pageHrefOf(searchFromParams({}))).toBe('/');
  });

  it('knows whether the catalogue was narrowed', () => {
    expect(isFiltered(searchFromParams({ sort: 'price-asc' }))).toBe(false);
    expect(isFiltered(searchFromParams({ maxPrice: '3' }))).toBe(true);
  });
});
