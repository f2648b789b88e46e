/**
 * The checks every error answer must pass: the error contract `{errors:[{message, field?}]}`
 * and no internal detail (stack frames, file paths, database or exception names).
 */

/** Problems with `json` as an error body; empty when it follows the contract. */
export function errorContractProblems(json: unknown): string[] {
  const problems: string[] = [];
  if (!json || typeof json !== 'object' || Array.isArray(json)) return ['body is not a JSON object'];
  const errors = (json as { errors?: unknown }).errors;
  if (!Array.isArray(errors) || errors.length === 0) return ['no non-empty `errors` array'];
  for (const e of errors) {
    if (!e || typeof e !== 'object') {
      problems.push('an error entry is not an object');
      continue;
    }
    const { message, field, ...rest } = e as Record<string, unknown>;
    if (typeof message !== 'string' || message.length === 0) problems.push('an error entry has no message');
    if (field !== undefined && typeof field !== 'string') problems.push('an error entry has a non-string field');
    if (Object.keys(rest).length) problems.push(`an error entry has extra keys: ${Object.keys(rest).join(', ')}`);
  }
  return problems;
}

/**
 * Internal detail in a response body. "at " alone is too blunt (an honest message says "at
 * most 120 characters"), so stack frames are recognised by their shape.
 */
const LEAKS: [string, RegExp][] = [
  ['stack frame', /(^|\n|\\n)\s*at \S|\bat [\w$.<>]+ \(|\(?[\w./-]+\.[cm]?[jt]s:\d+:\d+\)?/],
  ['file path', /\/(work|home|usr|tmp|opt|app|var|root|srv)\/|node_modules|[A-Za-z]:\\|\.ts\b|dist\/\w/],
  ['database detail', /mongo|bson|E11000|ObjectId|Cast to|duplicate key/i],
  ['exception name', /\b\w*Error:|\bError:|TypeError|ReferenceError|SyntaxError|ValidationError|ZodError|Unexpected token|JSON\.parse/],
];

export function leakProblems(text: string): string[] {
  return LEAKS.filter(([, re]) => re.test(text)).map(([what]) => `response body shows a ${what}: ${text.slice(0, 300)}`);
}
