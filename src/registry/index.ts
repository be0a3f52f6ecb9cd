export * from './transport/index.ts';
export * from './auth/index.ts';
export * from './client/index.ts';
