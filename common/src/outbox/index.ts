export * from './entry';
export * from './plugin';
export * from './relay';
