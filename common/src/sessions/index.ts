export * from './es256';
export * from './public-keys';
export * from './verify';
export * from './verified-cache';
