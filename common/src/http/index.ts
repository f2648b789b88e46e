export * from './client-address';
export * from './rate-limit';
