export * from './errors';
export * from './events';
export * from './middlewares';
export * from './nats';
export * from './outbox';
export * from './service';
export * from './mongo';
export * from './validation';
