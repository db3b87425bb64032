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

interface DeleteRange {
  readonly clock: number;
  readonly len: number;
}

export function updateAddsToDoc(update: Uint8Array, doc: Y.Doc): boolean {
  const { to } = Y.parseUpdateMeta(update);
  for (const [client, clock] of to) if (clock > Y.getState(doc.store, client)) return true;
  const { ds } = Y.decodeUpdate(update);
  for (const [client, ranges] of ds.clients as Map<number, DeleteRange[]>)
    for (const range of ranges) if (!deletedInDoc(doc, client, range)) return true;
  return false;
}

/** every struct of `client` in the range is known to the document and deleted there */
function deletedInDoc(doc: Y.Doc, client: number, { clock, len }: DeleteRange): boolean {
  const end = clock + len;
  if (len === 0) return true;
  if (end > Y.getState(doc.store, client)) return false;
  const structs = doc.store.clients.get(client)!;
  for (let i = Y.findIndexSS(structs, clock); i < structs.length; i++) {
    const struct = structs[i];
    if (struct.id.clock >= end) break;
    if (!struct.deleted) return false;
  }
  return true;
}
