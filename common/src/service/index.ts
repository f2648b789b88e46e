export * from './app';
export * from './config';
export * from './logger';
export * from './metrics';
export * from './mongo';
export * from './probes';
export * from './run-service';
