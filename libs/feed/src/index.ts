export * from './feed-messages';
export * from './feed-source.port';
export * from './feed-subscription';
export * from './live-feed';
