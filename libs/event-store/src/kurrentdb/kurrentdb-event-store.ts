// placeholder until the adapter lands
import type { EventStore } from '../event-store.port';
import type { GroupCommitOptions } from '../group-commit';
export interface KurrentDbEventStoreOptions { readonly connectionString: string; readonly groupCommit?: Partial<GroupCommitOptions> }
export class KurrentDbEventStore {
  static async open(_options: KurrentDbEventStoreOptions): Promise<EventStore> {
    throw new Error('not implemented yet');
  }
}
