export * from './ids';
export * from './text';
export * from './price';
export * from './schemas';
