import { z } from 'zod';
import { canonicalObjectId } from './ids';
import { PRICE_MAX, PRICE_MIN, readPrice } from './price';
import { singleLineTextProblem, type SingleLineTextRule } from './text';

/** A JSON Schema fragment, as the OpenAPI documents publish it. */
export type JsonSchema = Record<string, unknown>;

/**
 * A request field checked by a rule of common (one message per rule, as the API has always
 * answered) instead of zod's own wording. `schema` is what the published document says the
 * rule accepts: keep it exact, the contract test sends what it allows and expects acceptance.
 */
export function ruleField<T>(schema: JsonSchema, read: (value: unknown) => { value: T } | { problem: string }) {
  return z
    .unknown()
    .transform((value, ctx) => {
      const reading = read(value);
      if ('problem' in reading) {
        ctx.addIssue({ code: 'custom', message: reading.problem });
        return z.NEVER;
      }
      return reading.value;
    })
    .meta(schema);
}

export const OBJECT_ID_PATTERN = '^[0-9a-fA-F]{24}$';

/** An id (24 hex digits, any case) replaced by its canonical lower-case form; else `message`. */
export const objectIdField = (message: string, description?: string) =>
  ruleField<string>({ type: 'string', pattern: OBJECT_ID_PATTERN, ...(description && { description }) }, (v) => {
    const id = canonicalObjectId(v);
    return id === undefined ? { problem: message } : { value: id };
  });

/** Price strings readPrice accepts, bounds included (0.50 to 999999.99), for the document. */
export const PRICE_STRING_PATTERN = '^(0\\.[5-9][0-9]?|[1-9][0-9]{0,5}(\\.[0-9]{1,2})?)$';

/** A price as a JSON number or a decimal string ("25.00"), answered as a number (see readPrice). */
export const priceField = (description?: string) =>
  ruleField<number>(
    {
      anyOf: [
        { type: 'number', minimum: PRICE_MIN, maximum: PRICE_MAX, multipleOf: 0.01 },
        { type: 'string', pattern: PRICE_STRING_PATTERN, example: '25.00' },
      ],
      ...(description && { description }),
    },
    (v) => {
      const reading = readPrice(v);
      return 'problem' in reading ? reading : { value: reading.price };
    },
  );

/**
 * What singleLineTextProblem accepts, as a pattern both JavaScript and Python read alike: no
 * control characters (C0, DEL, C1), no whitespace at either end (JavaScript's `\s`, spelled
 * out). Lengths are in code points, as JSON Schema counts them. Unpaired surrogates are refused
 * too; the pattern leaves them out (generators cannot draw a range of them, nor send one).
 */
const SPACE = '\\t\\n\\v\\f\\r \\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff';
const CONTROL = '\\u0000-\\u001f\\u007f-\\u009f';
export const SINGLE_LINE_TEXT_PATTERN = `^[^${SPACE}${CONTROL}]([^${CONTROL}]*[^${SPACE}${CONTROL}])?$`;

/** A one-line text (a title) by singleLineTextProblem's rule, stored exactly as sent. */
export const singleLineTextField = (rule: SingleLineTextRule, description?: string) =>
  ruleField<string>(
    { type: 'string', minLength: 1, maxLength: rule.maxLength, pattern: SINGLE_LINE_TEXT_PATTERN, ...(description && { description }) },
    (v) => {
      const problem = singleLineTextProblem(v, rule);
      return problem ? { problem } : { value: v as string };
    },
  );

/** Path parameters naming one document by id: anything but an id names nothing (404 `message`). */
export const idParams = (message: string, description: string, name = 'id') => z.object({ [name]: objectIdField(message, description) });
