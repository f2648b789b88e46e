/**
 * Fails the test file (in its afterAll) when mongoose printed a warning while it ran: a
 * deprecated option (mongoose 9 warns on every `findOneAndUpdate(…, { new: true })`), a
 * duplicate index… Each would otherwise be one more stderr line per call in production.
 * mongoose warns through `process.emitWarning(message, { code: 'MONGOOSE' })`; under jest the
 * test file's `process` is its own object, so the call is watched there (not a 'warning' event).
 */
export function failOnMongooseWarnings(): void {
  const seen = new Set<string>();
  // Bound, so that calling it needs no `this`; restoring the bound copy behaves the same.
  const emitWarning = process.emitWarning.bind(process);
  const forward = emitWarning as (...args: unknown[]) => void;
  beforeAll(() => {
    process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
      const options = rest[0] as { code?: string } | string | undefined;
      const code = typeof options === 'object' ? options?.code : rest[1];
      if (code === 'MONGOOSE') seen.add(String(warning instanceof Error ? warning.message : warning));
      forward(warning, ...rest);
    });
  });
  afterAll(() => {
    process.emitWarning = emitWarning;
    if (seen.size) throw new Error(`mongoose warned during these tests:\n${[...seen].join('\n')}`);
  });
}
