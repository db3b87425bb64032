/**
 * Whether a Yjs update would change a document. A reconnecting client's sync step 2 holds
 * only structs the server lacks, but always its whole delete set; storing those again would
 * grow the log on every reconnect, and a viewer sending one is not attempting an edit.
 */
import * as Y from 'yjs';

interface DeleteRange {
  readonly clock: number;
  readonly len: number;
}

export function updateAddsToDoc(update: Uint8Array, doc: Y.Doc): boolean {
  const { structs, ds } = Y.decodeUpdate(Y.diffUpdate(update, Y.encodeStateVector(doc)));
  if (structs.length > 0) return true;
  if (ds.clients.size === 0) return false;
  const docDeletes = Y.createDeleteSetFromStructStore(doc.store).clients as Map<
    number,
    DeleteRange[]
  >;
  for (const [client, ranges] of ds.clients as Map<number, DeleteRange[]>) {
    const known = docDeletes.get(client) ?? [];
    for (const range of ranges) if (!covered(known, range)) return true;
  }
  return false;
}

/** `known` is sorted and merged (createDeleteSetFromStructStore guarantees it). */
function covered(known: readonly DeleteRange[], range: DeleteRange): boolean {
  let lo = 0;
  let hi = known.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const k = known[mid];
    if (range.clock < k.clock) hi = mid - 1;
    else if (range.clock >= k.clock + k.len) lo = mid + 1;
    else return range.clock + range.len <= k.clock + k.len;
  }
  return false;
}
