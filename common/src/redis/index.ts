export * from './users';
export * from './ping';
