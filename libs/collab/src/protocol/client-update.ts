/**
 * A Yjs update from a client, decoded once and checked before anything may store it.
 *
 *   const update = readClientUpdate(bytes);   // throws a protocol-error close when malformed
 *   updateAddsToDoc(update, () => doc);        // reads `ends` and `deletes`, never the bytes again
 *
 * Decoding alone is not enough: an update can decode and still make `Y.applyUpdate` throw
 * half-way through its transaction, leaving the document half-changed and, since updates are
 * stored before they are applied, the log holding an event no replay could apply. The crashes
 * come from a struct that names a struct of its own client at or after its own clock (as its
 * left or right neighbour or as its parent): Yjs integrates a client's structs in clock order and
 * looks such a reference up without checking that it exists. Every honest editor only ever
 * refers back to what it had already written, so such an update is refused.
 * References to other clients' structs are safe: Yjs keeps the struct pending until they exist.
 */
import * as Y from 'yjs';
import { CloseCode, ConnectionClosingError } from './close-codes';

export interface DeleteRange {
  readonly clock: number;
  readonly len: number;
}

export interface ClientUpdate {
  readonly bytes: Uint8Array;
  /** per client, the clock after its last struct in the update */
  readonly ends: ReadonlyMap<number, number>;
  /** per client, the ranges the update deletes */
  readonly deletes: ReadonlyMap<number, readonly DeleteRange[]>;
}

type Reference = { readonly client: number; readonly clock: number } | null;

export function readClientUpdate(bytes: Uint8Array): ClientUpdate {
  let decoded: ReturnType<typeof Y.decodeUpdate>;
  try {
    decoded = Y.decodeUpdate(bytes);
  } catch (error) {
    throw malformed(error instanceof Error ? error.message : String(error));
  }
  const ends = new Map<number, number>();
  for (const struct of decoded.structs) {
    const { client, clock } = struct.id;
    ends.set(client, Math.max(ends.get(client) ?? 0, clock + struct.length));
    if (!(struct instanceof Y.Item)) continue;
    const parent = struct.parent instanceof Y.ID ? struct.parent : null;
    for (const [role, reference] of [
      ['left neighbour', struct.origin],
      ['right neighbour', struct.rightOrigin],
      ['parent', parent],
    ] as const satisfies ReadonlyArray<readonly [string, Reference]>) {
      if (reference && reference.client === client && reference.clock >= clock)
        throw malformed(
          `struct ${client}:${clock} names ${client}:${reference.clock} as its ${role}, a struct its client wrote after it`,
        );
    }
  }
  const deletes = decoded.ds.clients as Map<number, DeleteRange[]>;
  for (const [client, ranges] of deletes)
    for (const { clock, len } of ranges)
      if (len <= 0) throw malformed(`empty deleted range at ${client}:${clock}`);
  return { bytes, ends, deletes };
}

function malformed(reason: string): ConnectionClosingError {
  return new ConnectionClosingError(CloseCode.protocolError, `malformed Yjs update: ${reason}`);
}
