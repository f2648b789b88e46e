export * from './binaries';
export * from './process';
export * from './servers';
export * from './database';
export * from './session';
export * from './wait';
export * from './jetstream';
export * from './id-spellings';
