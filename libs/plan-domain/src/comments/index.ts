/** Feedback threads on plan items: comment events, their deciders and evolvers, mentions, threads. */
export * from './comment';
export * from './comment-threads';
export * from './mentions';
