export * from './connection';
export * from './streams';
export * from './publisher';
export * from './listener';
export * from './failure-kind';
export * from './dead-letter';
export * from './dead-letter-store';
