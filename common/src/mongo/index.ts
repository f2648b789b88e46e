export * from './json';
export * from './duplicate-key';
export * from './insert-or-ignore';
export * from './versioned-replica';
export * from './build-indexes';
