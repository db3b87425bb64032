/** Where the feed reads changes from (the change-log read model) and learns that there are new ones. */
import type { FeedChange } from './feed-messages';

export interface FeedSource {
  /**
   * Changes after `afterPosition`, in position order, one per event; `planIds` undefined means
   * every plan. At most about `limit` events.
   */
  changesAfter(
    afterPosition: number,
    planIds: readonly string[] | undefined,
    limit: number,
  ): Promise<FeedChange[]>;
  /** the position of the newest change readable now (0 when there is none) */
  headPosition(): Promise<number>;
  /** called whenever new changes may be readable (a batch was projected, here or on another node) */
  onNewChanges(listener: () => void): () => void;
}
