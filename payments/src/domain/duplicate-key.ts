/** True for MongoDB's E11000 (a unique index refused the write). */
export function isDuplicateKeyError(err: unknown): boolean {
  return (err as { code?: unknown } | null)?.code === 11000;
}
