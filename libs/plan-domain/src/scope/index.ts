/** Scope change against a baseline: added/removed/changed items, effort, cost, schedule, creep. */
export * from './scope-change';
