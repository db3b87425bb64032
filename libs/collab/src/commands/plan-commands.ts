/**
 * REST-style commands on a plan. A command runs against a copy of the live document; the
 * resulting Yjs update then takes the same write path as a websocket edit (store, then
 * apply and broadcast), so connected clients see REST edits live and nothing is visible
 * before it is durable.
 */
import type { EventMetadata, EventStore, JsonValue, NewEvent } from '@lib/event-store';
import { migratePlan, PlanDoc, type PlanJson } from '@lib/plan-domain';
import * as Y from 'yjs';
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

export class PlanCommands {
  /**
   * One Yjs client id for the commands this process runs. Commands on a document run one at a
   * time and each starts from the live state, which holds this id's previous edits once they
   * are durable, so the id's clock never repeats. An append that failed may still have been
   * stored (the store can fail after its commit), without the live state holding it: then the
   * id is replaced, so no later command can reuse a clock that is already in the log. A new
   * process draws a new id.
   */
  private clientId = new Y.Doc().clientID;

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

  async execute<T>(
    planId: string,
    actor: string,
    command: (plan: PlanDoc) => T,
  ): Promise<CommandResult<T>> {
    const document = await this.documents.acquire(planId);
    try {
      return await document.runExclusive(async () => {
        const draft = document.draftFor(this.clientId);
        // the command's own updates, not a diff against the state vector: such a diff would
        // carry the document's whole delete set into every command's event
        const produced: Uint8Array[] = [];
        const collect = (u: Uint8Array): void => void produced.push(u);
        draft.on('update', collect);
        let result: T;
        try {
          result = command(new PlanDoc(draft));
        } catch (error) {
          // a command that fails half way may have changed the copy
          if (produced.length > 0) document.discardDraft();
          throw error;
        } finally {
          draft.off('update', collect);
        }
        if (produced.length === 0) return { result, version: undefined };
        const update = produced.length === 1 ? produced[0] : Y.mergeUpdates(produced);
        let version: number;
        try {
          ({ version } = await this.documents.appendUpdate(
            document,
            update,
            { actor, at: new Date().toISOString() },
            { kind: 'rest', actor },
          ));
        } catch (error) {
          // the copy holds a change the document may never get, or get only from the log
          document.discardDraft();
          this.clientId = new Y.Doc().clientID;
          throw error;
        }
        await document.waitForVersion(version);
        return { result, version };
      });
    } finally {
      this.documents.release(document);
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
