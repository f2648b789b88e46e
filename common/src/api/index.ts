// The HTTP API's answers as zod schemas: the services' OpenAPI documents are made from them,
// and the client and bench import their types (`@ticketing/common/api`: zod only, no runtime).
export * from './user';
export * from './ticket';
export * from './order';
export * from './payment';
