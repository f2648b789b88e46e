import { z } from 'zod';
import type { JsonSchema } from '../validation/schemas';

const isZod = (s: unknown): s is z.ZodType => s instanceof z.ZodType;

/**
 * A schema as the documents publish it (JSON Schema 2020-12, what OpenAPI 3.1 uses): a
 * request is described by what it accepts (`input`), an answer by what it is (`output`).
 */
export function jsonSchemaOf(schema: z.ZodType | JsonSchema, io: 'input' | 'output'): JsonSchema {
  if (!isZod(schema)) return schema;
  const { $schema: _ignored, ...json } = z.toJSONSchema(schema, { io, unrepresentable: 'any', reused: 'inline' }) as JsonSchema;
  return json;
}

/** Keys the operator-injection guard refuses anywhere in a body or query (see rejectUnsafeKeys). */
export const SAFE_KEY: JsonSchema = {
  description: 'Not an operator key (`$…`, as in `{"$gt": ""}`) nor a prototype key: those are refused with 400 anywhere in a request',
  pattern: '^(?:[^$]|$)',
  not: { enum: ['__proto__', 'constructor', 'prototype'] },
};

/** Any JSON whose object keys are all safe: what an unknown field of a body may hold (it is ignored). */
export const SAFE_JSON: JsonSchema = {
  description: 'Any JSON value without operator or prototype keys',
  anyOf: [
    { type: ['null', 'boolean', 'number', 'string'] },
    { type: 'array', items: { $ref: '#/components/schemas/SafeJson' } },
    { type: 'object', propertyNames: { $ref: '#/components/schemas/SafeKey' }, additionalProperties: { $ref: '#/components/schemas/SafeJson' } },
  ],
};

/**
 * A request body object as the app treats it: unknown fields are ignored (declared as any safe
 * JSON), operator and prototype keys are refused (declared through propertyNames).
 */
export function requestBodySchema(schema: z.ZodType | JsonSchema): JsonSchema {
  const json = jsonSchemaOf(schema, 'input');
  if (json.type !== 'object') return json;
  const open = json.additionalProperties === undefined || (typeof json.additionalProperties === 'object' && Object.keys(json.additionalProperties as object).length === 0);
  return {
    ...json,
    propertyNames: { $ref: '#/components/schemas/SafeKey' },
    additionalProperties: open ? { $ref: '#/components/schemas/SafeJson' } : json.additionalProperties,
  };
}
