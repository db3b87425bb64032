/**
 * REST-style commands on a plan. A command runs against a copy of the live document; the
 * resulting Yjs update then takes the same write path as a websocket edit (store, then
 * apply and broadcast), so connected clients see REST edits live and nothing is visible
 * before it is durable.
 *
 * Commands on one plan run one after another, each seeing what the ones before it changed.
 * Those that arrive while an append is being stored wait for it, then run as a group whose
 * changes are stored in one atomic append (one event per command): a plan edited by many
 * people pays one durable write per group instead of one per command.
 */
import type { EventMetadata, EventStore, JsonValue, NewEvent } from '@lib/event-store';
import { migratePlan, PlanDoc, type PlanJson } from '@lib/plan-domain';
import * as Y from 'yjs';
import type { LiveDocument } from '../documents/live-document';
import type { LiveDocuments } from '../documents/live-documents';
import { planStreamId, planUpdatedEvent } from '../plan-stream';

export interface CommandResult<T> {
  readonly result: T;
  /** plan stream version after the command; undefined when the command changed nothing */
  readonly version: number | undefined;
}

export interface PlanState {
  readonly plan: PlanJson;
  readonly version: number;
}

/** the most commands one append stores; later ones wait for the next group */
const MAX_GROUP = 64;

interface QueuedCommand {
  readonly actor: string;
  readonly command: (plan: PlanDoc) => unknown;
  readonly resolve: (result: CommandResult<unknown>) => void;
  readonly reject: (error: unknown) => void;
}

/** what a command of a group did, settled once the group's append is decided */
type Outcome =
  | {
      readonly kind: 'changed';
      readonly update: Uint8Array;
      readonly at: string;
      readonly result: unknown;
    }
  | { readonly kind: 'unchanged'; readonly result: unknown }
  | { readonly kind: 'failed'; readonly error: unknown };

export class PlanCommands {
  /**
   * One Yjs client id for the commands this process runs. Command groups on a document run
   * one at a time and each starts from the live state, which holds this id's previous edits
   * once they are durable, so the id's clock never repeats. An append that failed may still
   * have been stored (the store can fail after its commit), without the live state holding it:
   * then the id is replaced, so no later command can reuse a clock that is already in the log.
   * A new process draws a new id.
   */
  private clientId = new Y.Doc().clientID;
  /** commands waiting for the group in flight on their document */
  private readonly queued = new Map<LiveDocument, QueuedCommand[]>();

  constructor(
    private readonly documents: LiveDocuments,
    private readonly store: EventStore,
  ) {}

  async read(planId: string): Promise<PlanState> {
    const document = await this.documents.acquire(planId);
    try {
      // an update acknowledged behind a version still missing (an event appended outside the
      // document, not yet read back) is durable but not applied: read it back first
      if (document.hasGap) await this.documents.catchUp(document);
      return { plan: new PlanDoc(document.doc).toJSON(), version: document.version };
    } finally {
      this.documents.release(document);
    }
  }

  /**
   * Runs `command` on the plan and stores what it changed. Resolves once that is durable and
   * applied; rejects with the command's own error, or with the store's when the append failed.
   */
  async execute<T>(
    planId: string,
    actor: string,
    command: (plan: PlanDoc) => T,
  ): Promise<CommandResult<T>> {
    const document = await this.documents.acquire(planId);
    try {
      return await new Promise<CommandResult<T>>((resolve, reject) => {
        let queue = this.queued.get(document);
        if (!queue) {
          queue = [];
          this.queued.set(document, queue);
          void document.runExclusive(() => this.runGroup(document));
        }
        queue.push({ actor, command, resolve: resolve as QueuedCommand['resolve'], reject });
      });
    } finally {
      this.documents.release(document);
    }
  }

  /**
   * Runs the queued commands in order on one copy of the document and stores the changes of
   * those that succeeded in one append. A command that fails after changing the copy is
   * undone by copying afresh with the group's earlier changes. A command is answered before
   * the append only when it changed nothing and saw no change of the group; the others fail
   * with the append when it fails, since what they saw may never become durable.
   */
  private async runGroup(document: LiveDocument): Promise<void> {
    const queue = this.queued.get(document)!;
    const group = queue.splice(0, MAX_GROUP);
    if (queue.length === 0) this.queued.delete(document);
    else void document.runExclusive(() => this.runGroup(document));
    try {
      await this.storeGroup(document, group);
    } catch (error) {
      // not a command's failure nor the store's (a copy that could not be made): nothing more
      // of the group is stored; settling a promise twice does nothing, so the answered keep
      // their answers
      document.discardDraft();
      for (const command of group) command.reject(error);
    }
  }

  private async storeGroup(document: LiveDocument, group: readonly QueuedCommand[]): Promise<void> {
    const waiting: Array<{ readonly command: QueuedCommand; readonly outcome: Outcome }> = [];
    const staged: Array<{
      readonly update: Uint8Array;
      readonly actor: string;
      readonly at: string;
    }> = [];
    let stagedBytes = 0;
    let draft: Y.Doc | undefined;
    for (const command of group) {
      draft ??= document.draftFor(
        this.clientId,
        staged.map((s) => s.update),
      );
      const sawStaged = staged.length > 0;
      const outcome = this.runOne(document, command, draft, stagedBytes);
      if (draft.isDestroyed) draft = undefined;
      if (outcome.kind === 'changed') {
        staged.push({ update: outcome.update, actor: command.actor, at: outcome.at });
        stagedBytes += outcome.update.byteLength;
      }
      if (outcome.kind === 'changed' || sawStaged) waiting.push({ command, outcome });
      else settle(command, outcome, undefined);
    }
    if (staged.length === 0) return;
    let versions: number[];
    try {
      const appended = await this.documents.appendUpdates(
        document,
        staged.map(({ update, actor, at }) => ({
          update,
          metadata: { actor, at },
          origin: { kind: 'rest', actor },
        })),
      );
      versions = appended.map((a) => a.version);
    } catch (error) {
      // the copy holds changes the document may never get, or get only from the log
      document.discardDraft();
      this.clientId = new Y.Doc().clientID;
      for (const { command } of waiting) command.reject(error);
      return;
    }
    await document.waitForVersion(versions[versions.length - 1]);
    let next = 0;
    for (const { command, outcome } of waiting)
      settle(command, outcome, outcome.kind === 'changed' ? versions[next++] : undefined);
  }

  /**
   * Runs one command on the copy. One that fails after changing it (or whose change would
   * grow the plan past its size limit) leaves the copy discarded.
   */
  private runOne(
    document: LiveDocument,
    queued: QueuedCommand,
    draft: Y.Doc,
    stagedBytes: number,
  ): Outcome {
    // the command's own updates, not a diff against the state vector: such a diff would
    // carry the document's whole delete set into every command's event
    const produced: Uint8Array[] = [];
    const collect = (u: Uint8Array): void => void produced.push(u);
    draft.on('update', collect);
    try {
      const result = queued.command(new PlanDoc(draft));
      if (produced.length === 0) return { kind: 'unchanged', result };
      const update = produced.length === 1 ? produced[0] : Y.mergeUpdates(produced);
      this.documents.assertFits(document, stagedBytes + update.byteLength);
      return { kind: 'changed', update, at: new Date().toISOString(), result };
    } catch (error) {
      if (produced.length > 0) document.discardDraft();
      return { kind: 'failed', error };
    } finally {
      draft.off('update', collect);
    }
  }

  /**
   * Appends an update computed from the plan's log rather than by editing the document (a
   * revert replays the stream): `compute` gets the live version, reads the events up to it and
   * returns the update and metadata that name what it did. Runs exclusively like `execute`,
   * so no REST command lands between what was read and what is appended.
   */
  async appendComputed<T>(
    planId: string,
    actor: string,
    compute: (version: number) => Promise<{
      readonly update: Uint8Array | undefined;
      readonly metadata?: Readonly<Record<string, JsonValue>>;
      readonly result: T;
    }>,
  ): Promise<CommandResult<T>> {
    const document = await this.documents.acquire(planId);
    try {
      return await document.runExclusive(async () => {
        const computed = await compute(document.version);
        if (!computed.update) return { result: computed.result, version: undefined };
        const { version } = await this.documents.appendUpdate(
          document,
          computed.update,
          { ...computed.metadata, actor, at: new Date().toISOString() },
          { kind: 'rest', actor },
        );
        await document.waitForVersion(version);
        return { result: computed.result, version };
      });
    } finally {
      this.documents.release(document);
    }
  }

  /**
   * Creates the plan stream: the given lead events (e.g. `PlanCreated`) and the document's
   * initial content, in one atomic append that fails if the plan already exists.
   */
  async create(
    planId: string,
    leadEvents: readonly NewEvent[],
    metadata: EventMetadata,
    initialise: (plan: PlanDoc) => void,
  ): Promise<number> {
    const draft = new Y.Doc();
    initialise(new PlanDoc(draft));
    // a new plan starts in the current layout, so loading it never needs a migration
    migratePlan(draft);
    const update = Y.encodeStateAsUpdate(draft);
    draft.destroy();
    const result = await this.store.appendToStream(
      planStreamId(planId),
      [...leadEvents, planUpdatedEvent(update, metadata)],
      { expectedVersion: 'no_stream' },
    );
    return result.nextExpectedVersion;
  }
}

function settle(command: QueuedCommand, outcome: Outcome, version: number | undefined): void {
  if (outcome.kind === 'failed') command.reject(outcome.error);
  else command.resolve({ result: outcome.result, version });
}
