/**
 * Jest assertions (run inside a test) for a whole-number variable read with intFromEnv, e.g.
 * a per-minute rate limit or a sweep interval: `byDefault` when unset, 0 (off) and another
 * count are kept, a negative, a fraction or a word is refused with a message naming it.
 * `load` reads a service's configuration from `env` (plus whatever else it requires).
 */
export function expectCountVariable(load: (env: NodeJS.ProcessEnv) => object, name: string, byDefault: number): void {
  const read = (value?: string) => (load(value === undefined ? {} : { [name]: value }) as Record<string, unknown>)[name];
  expect(read()).toBe(byDefault);
  expect(read('0')).toBe(0);
  expect(read('25')).toBe(25);
  for (const refused of ['-1', '1.5', 'lots']) expect(() => read(refused)).toThrow(new RegExp(name));
}
