/**
 * Runs a decider against one stream: fold the stream into the decider's state, decide, and
 * append the decision with the stream version that was read. When another writer got there
 * first (WRONG_EXPECTED_VERSION), the whole cycle runs again on the newer state, so every
 * write is decided on the state it lands on. Like Emmett's `CommandHandler`.
 *
 * ```ts
 * const { state, appended } = await handleCommand(store, planStreamId(id), planRecord, command);
 * ```
 */
import { isWrongExpectedVersion } from './errors';
import type { AppendResult, EventStore, NewEvent, RecordedEvent } from './event-store.port';
import { upcast, type Upcasters } from './upcasting';

/**
 * `decide` throws a typed error to refuse a command and returns no events when the command
 * changes nothing; `evolve` folds stored events (upcast to their current version) into state.
 */
export interface Decider<Command, State> {
  readonly initialState: () => State;
  readonly evolve: (state: State, event: RecordedEvent) => State;
  readonly decide: (command: Command, state: State) => readonly NewEvent[];
}

export interface HandledCommand<State> {
  /** the state the decision was made on, with the appended events folded in */
  readonly state: State;
  /** undefined when the decision was to append nothing */
  readonly appended: AppendResult | undefined;
  /** stream version after the command (the version read when nothing was appended) */
  readonly version: number;
}

export interface HandleOptions<State = unknown> {
  /** decide-and-append cycles before a conflict is given up (default 8) */
  readonly maxAttempts?: number;
  readonly upcasters?: Upcasters;
  /**
   * Folded states kept between commands, so a command reads only the events after the last
   * one it saw: a plan stream holds every keystroke's update, and folding all of them again
   * for each comment would cost as much as the plan's whole history.
   */
  readonly cache?: FoldedStates<State>;
  /**
   * How decided events are stored, when not as decided: personal data sealed, say. The
   * decision sees the command as given; the stream and the folded state hold what was stored.
   */
  readonly encode?: (events: readonly NewEvent[]) => Promise<readonly NewEvent[]>;
}

interface Folded<State> {
  readonly state: State;
  readonly version: number;
}

/**
 * The most recently used folded states of one decider, by stream. Sound because events are
 * immutable and evolve is pure: a cached state at version N plus the events after N is the
 * state a full fold would give.
 */
export class FoldedStates<State> {
  private readonly entries = new Map<string, Folded<State>>();

  constructor(private readonly capacity = 1000) {}

  get(streamId: string): Folded<State> | undefined {
    const entry = this.entries.get(streamId);
    if (entry) {
      this.entries.delete(streamId);
      this.entries.set(streamId, entry);
    }
    return entry;
  }

  set(streamId: string, entry: Folded<State>): void {
    const current = this.entries.get(streamId);
    // a slower command must not put back an older state than one already cached
    if (current && current.version > entry.version) return;
    this.entries.delete(streamId);
    this.entries.set(streamId, entry);
    if (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
  }
}

const READ_PAGE = 1000;

export async function handleCommand<Command, State>(
  store: EventStore,
  streamId: string,
  decider: Decider<Command, State>,
  command: Command | ((streamVersion: number) => Promise<Command>),
  options: HandleOptions<State> = {},
): Promise<HandledCommand<State>> {
  const maxAttempts = options.maxAttempts ?? 8;
  for (let attempt = 1; ; attempt++) {
    const { state, version } = await foldStream(
      store,
      streamId,
      decider,
      options.upcasters,
      options.cache?.get(streamId),
    );
    options.cache?.set(streamId, { state, version });
    // a command built from other reads (what the plan document holds) is built again for each
    // attempt, so a retry does not decide on facts the conflict may have made stale; it is told
    // the version the state was folded to, to read those facts exactly there when it must
    const current =
      typeof command === 'function'
        ? await (command as (streamVersion: number) => Promise<Command>)(version)
        : command;
    const decided = decider.decide(current, state);
    if (decided.length === 0) return { state, appended: undefined, version };
    const events = options.encode ? await options.encode(decided) : decided;
    try {
      const appended = await store.appendToStream(streamId, events, {
        expectedVersion: version < 0 ? 'no_stream' : version,
      });
      const after = appended.events.reduce(
        (folded, stored, i) =>
          decider.evolve(
            folded,
            recordedFrom(streamId, events[i], stored.version, stored.position),
          ),
        state,
      );
      options.cache?.set(streamId, { state: after, version: appended.nextExpectedVersion });
      return { state: after, appended, version: appended.nextExpectedVersion };
    } catch (error) {
      if (!isWrongExpectedVersion(error) || attempt >= maxAttempts) throw error;
    }
  }
}

/**
 * The decider's state after every event of the stream, and the version of the last one;
 * `from`: a state already folded up to a version, to continue from.
 */
export async function foldStream<State>(
  store: EventStore,
  streamId: string,
  decider: Pick<Decider<unknown, State>, 'initialState' | 'evolve'>,
  upcasters?: Upcasters,
  from?: Folded<State>,
): Promise<{ state: State; version: number }> {
  let state = from?.state ?? decider.initialState();
  let version = from?.version ?? -1;
  for (;;) {
    const page = await store.readStream(streamId, {
      fromVersion: version + 1,
      maxCount: READ_PAGE,
    });
    for (const event of page) {
      state = decider.evolve(state, upcasters ? upcast(event, upcasters) : event);
      version = event.version;
    }
    if (page.length < READ_PAGE) return { state, version };
  }
}

// What evolve sees for an event just appended: the store computed its hashes, which no
// decider reads, so they are left empty rather than read back.
function recordedFrom(
  streamId: string,
  event: NewEvent,
  version: number,
  position: number,
): RecordedEvent {
  return {
    id: event.id,
    streamId,
    type: event.type,
    data: event.data,
    metadata: event.metadata,
    schemaVersion: event.schemaVersion ?? 1,
    version,
    position,
    hash: '',
    prevHash: '',
  };
}
