/**
 * Whether a Yjs update would change a document. A reconnecting client's sync step 2 holds
 * only structs the server lacks, but always its whole delete set; storing those again would
 * grow the log on every reconnect, and a viewer sending one is not attempting an edit.
 *
 * It runs for every incoming update, so it reads the update's clock ranges and delete set and
 * looks them up in the document's struct store, without encoding the document's state vector
 * or delete set (every map overwrite carries a delete, which made that cost grow with the plan).
 */
import * as Y from 'yjs';
import type { ClientUpdate, DeleteRange } from '../protocol/client-update';

/**
 * `doc` is asked for only when the update holds anything at all, so a new client's empty sync
 * step 2 leaves a parked document parked.
 */
export function updateAddsToDoc(
  { ends, deletes }: Pick<ClientUpdate, 'ends' | 'deletes'>,
  doc: () => Y.Doc,
): boolean {
  if (ends.size === 0 && deletes.size === 0) return false;
  const { store } = doc();
  for (const [client, clock] of ends) if (clock > Y.getState(store, client)) return true;
  for (const [client, ranges] of deletes)
    for (const range of ranges) if (!deletedInStore(store, client, range)) return true;
  return false;
}

/** every struct of `client` in the range is known to the document and deleted there */
function deletedInStore(store: Y.Doc['store'], client: number, { clock, len }: DeleteRange) {
  const end = clock + len;
  if (len === 0) return true;
  if (end > Y.getState(store, client)) return false;
  const structs = store.clients.get(client)!;
  for (let i = Y.findIndexSS(structs, clock); i < structs.length; i++) {
    const struct = structs[i];
    if (struct.id.clock >= end) break;
    if (!struct.deleted) return false;
  }
  return true;
}
