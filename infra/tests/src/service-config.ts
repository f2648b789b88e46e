import { baseConfigSchema, loadConfig, mongoConfigSchema, natsConfigSchema } from '@ticketing/common';
import type { z } from 'zod';
import { readRepoFile, repoPath, type Service } from './repo';

/**
 * How each service declares its configuration: the export of `<svc>/src/config.ts` that its
 * declaration (`src/service.ts`, defineService) names as `config`, and whether it owns a
 * MongoDB database (the declaration's `mongo`; MONGO_URL is then required). The tests check
 * this table against the sources, then import the real zod schemas.
 */
export const SERVICE_CONFIG: Record<Service, { schemaExport: string; mongo: boolean }> = {
  auth: { schemaExport: 'authConfigSchema', mongo: true },
  tickets: { schemaExport: 'ticketsConfigSchema', mongo: true },
  orders: { schemaExport: 'ordersConfigSchema', mongo: true },
  payments: { schemaExport: 'paymentsConfigSchema', mongo: true },
  expiration: { schemaExport: 'expirationConfigSchema', mongo: false },
  live: { schemaExport: 'liveConfigSchema', mongo: false },
};

type AnyObjectSchema = z.ZodObject<z.ZodRawShape>;

/**
 * The complete schema runService validates for `svc` given the environment `env` (some
 * schemas depend on NODE_ENV: payments requires Stripe keys in production), assembled the
 * way common's serviceConfigSchema does it: base + NATS [+ MongoDB] + the service's own fields.
 */
export function serviceConfigSchema(svc: Service, env: NodeJS.ProcessEnv): AnyObjectSchema {
  const mod = require(repoPath(svc, 'src', 'config.ts')) as Record<string, unknown>;
  const exported = mod[SERVICE_CONFIG[svc].schemaExport];
  const own = (typeof exported === 'function' ? (exported as (e: NodeJS.ProcessEnv) => unknown)(env) : exported) as AnyObjectSchema;
  if (!own || typeof own !== 'object' || !('shape' in own)) {
    throw new Error(`${svc}/src/config.ts: ${SERVICE_CONFIG[svc].schemaExport} is not a zod object schema`);
  }
  let schema = baseConfigSchema.extend(natsConfigSchema.shape) as unknown as AnyObjectSchema;
  if (SERVICE_CONFIG[svc].mongo) schema = schema.extend(mongoConfigSchema.shape);
  return schema.extend(own.shape);
}

/** Variables without which the schema does not parse (no default, not optional). */
export function requiredVariables(schema: AnyObjectSchema): string[] {
  return Object.entries(schema.shape)
    .filter(([, field]) => !(field as z.ZodType).safeParse(undefined).success)
    .map(([name]) => name)
    .sort();
}

/** Parses `env` as the service would at start-up; throws runService's one-line ConfigError. */
export function parseServiceConfig(svc: Service, env: NodeJS.ProcessEnv): unknown {
  return loadConfig(serviceConfigSchema(svc, env), env);
}

/**
 * The service's declaration (`<svc>/src/service.ts`, defineService) that `<svc>/src/index.ts`
 * runs with runService, for checks against the table.
 */
export function runServiceCall(svc: Service): { config: string | undefined; mongo: boolean } {
  const index = readRepoFile(svc, 'src', 'index.ts');
  if (!/\brunService\(\w+Service\)/.test(index) || !/from '@ticketing\/common'/.test(index) || !/from '\.\/service'/.test(index)) {
    throw new Error(`${svc}/src/index.ts does not run the declaration of src/service.ts with runService from @ticketing/common`);
  }
  const source = readRepoFile(svc, 'src', 'service.ts');
  if (!/\bdefineService\(/.test(source)) throw new Error(`${svc}/src/service.ts does not declare the service with defineService`);
  const config = /\bconfig:\s*([A-Za-z_$][\w$]*)/.exec(source)?.[1];
  const mongoFalse = /\bmongo:\s*false\b/.test(source);
  return { config, mongo: !mongoFalse };
}
