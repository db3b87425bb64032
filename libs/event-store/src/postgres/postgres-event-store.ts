// placeholder until the adapter lands
import type { EventStore } from '../event-store.port';
import type { GroupCommitOptions } from '../group-commit';
export interface PostgresEventStoreOptions { readonly connectionString: string; readonly groupCommit?: Partial<GroupCommitOptions> }
export class PostgresEventStore {
  static async open(_options: PostgresEventStoreOptions): Promise<EventStore> {
    throw new Error('not implemented yet');
  }
}
