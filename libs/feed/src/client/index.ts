export * from './feed-client';
