export * from './public-keys';
export * from './verify';
