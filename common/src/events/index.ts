export * from './subjects';
export * from './schemas';
export * from './streams';
