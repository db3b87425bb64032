/**
 * The document updates of one plan that were applied in the current turn of the event loop,
 * sent to each connection as one message when the turn ends. A group commit makes several
 * updates durable at once; sending them merged (`Y.mergeUpdates`) costs each connection one
 * socket write instead of one per update. A connection never receives its own updates back:
 * it gets the merge of the others', and nothing when the batch was all its own. Updates are
 * merged up to `MERGE_MAX_BYTES` per message, so a burst of large updates never makes a
 * message larger than the updates themselves (and a send-buffer limit keeps its meaning).
 *
 *   const batch = new UpdateBroadcast();
 *   batch.add(update, origin);                      // from the doc's 'update' event
 *   batch.framesFor(connectionId)                   // → prepared update messages, usually one
 */
import * as Y from 'yjs';
import type { ChangeOrigin } from '../documents/change-origin';
import { writeUpdateMessage } from '../protocol/y-websocket-messages';
import { PreparedMessage } from './prepared-message';

const MERGE_MAX_BYTES = 64 * 1024;

export class UpdateBroadcast {
  private readonly updates: Uint8Array[] = [];
  /** the connection each update came from, or undefined for other origins */
  private readonly senders: Array<string | undefined> = [];
  private readonly frames = new Map<string | undefined, PreparedMessage[]>();

  add(update: Uint8Array, origin: ChangeOrigin | undefined): void {
    this.updates.push(update);
    this.senders.push(origin?.kind === 'connection' ? origin.connectionId : undefined);
  }

  /** the frames for a connection: every update of the batch except its own, merged */
  framesFor(connectionId: string): PreparedMessage[] {
    const key = this.senders.includes(connectionId) ? connectionId : undefined;
    let frames = this.frames.get(key);
    if (!frames) {
      const updates = this.updates.filter((_, i) => key === undefined || this.senders[i] !== key);
      frames = mergedRuns(updates).map((u) => new PreparedMessage(writeUpdateMessage(u)));
      this.frames.set(key, frames);
    }
    return frames;
  }
}

/** consecutive updates merged while the run stays within MERGE_MAX_BYTES */
function mergedRuns(updates: readonly Uint8Array[]): Uint8Array[] {
  const merged: Uint8Array[] = [];
  let run: Uint8Array[] = [];
  let runBytes = 0;
  const close = () => {
    if (run.length > 0) merged.push(run.length === 1 ? run[0] : Y.mergeUpdates(run));
    run = [];
    runBytes = 0;
  };
  for (const update of updates) {
    if (runBytes + update.byteLength > MERGE_MAX_BYTES) close();
    run.push(update);
    runBytes += update.byteLength;
  }
  close();
  return merged;
}
