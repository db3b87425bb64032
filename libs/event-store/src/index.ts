export * from './event-store.port';
export * from './errors';
export * from './hash-chain';
export * from './group-commit';
export * from './catch-up-subscription';
export * from './open-event-store';
export { SqliteEventStore } from './sqlite/sqlite-event-store';
// The PostgreSQL and KurrentDB adapters are imported from their own paths
// (`@lib/event-store/postgres/postgres-event-store`, `…/kurrentdb/kurrentdb-event-store`):
// a node that runs on SQLite never loads their drivers.
export * from './upcasting';
export * from './command-handler';
