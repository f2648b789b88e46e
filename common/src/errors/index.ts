export * from './custom-error';
export * from './request-validation-error';
