export * from './event-store.port';
export * from './errors';
export * from './hash-chain';
export * from './group-commit';
export * from './catch-up-subscription';
export * from './open-event-store';
export { SqliteEventStore } from './sqlite/sqlite-event-store';
export { PostgresEventStore } from './postgres/postgres-event-store';
export { KurrentDbEventStore } from './kurrentdb/kurrentdb-event-store';
