export * from './subjects';
export * from './schemas';
export * from './streams';
export * from './catalog';
