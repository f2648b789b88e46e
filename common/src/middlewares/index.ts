export * from './types';
export * from './current-user';
export * from './require-auth';
export * from './validate';
export * from './reject-unsafe-keys';
export * from './error-handler';
