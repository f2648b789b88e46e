export * from './ids';
export * from './text';
export * from './price';
