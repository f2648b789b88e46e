export * from './route';
export * from './json-schema';
export * from './document';
export * from './allowed-methods';
