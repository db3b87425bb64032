/**
 * Event payloads are versioned (`schemaVersion`) and never rewritten: a reader that wants the
 * current shape runs the stored event through the registered upcasters, one version step at a
 * time, on read. The stored event (and its hash) stays what was written.
 *
 * ```ts
 * const upcasters = new Upcasters().register({
 *   type: 'MemberRevoked', fromVersion: 1,
 *   upcast: (data) => ({ ...data, previousRole: null }),
 * });
 * upcast(storedV1Event, upcasters).schemaVersion; // 2
 * ```
 */
import type { EventPayload, RecordedEvent } from './event-store.port';

export interface Upcaster {
  readonly type: string;
  /** the version this function reads; it returns the payload of version `fromVersion + 1` */
  readonly fromVersion: number;
  readonly upcast: (data: EventPayload, event: RecordedEvent) => EventPayload;
}

/** Thrown at registration: two functions for one step would make reads ambiguous. */
export class DuplicateUpcasterError extends Error {
  readonly code = 'DUPLICATE_UPCASTER';
  constructor(
    readonly type: string,
    readonly fromVersion: number,
  ) {
    super(`an upcaster for ${type} v${fromVersion} is already registered`);
  }
}

export class Upcasters {
  private readonly steps = new Map<string, Upcaster>();

  register(upcaster: Upcaster): this {
    const key = stepKey(upcaster.type, upcaster.fromVersion);
    if (this.steps.has(key)) throw new DuplicateUpcasterError(upcaster.type, upcaster.fromVersion);
    this.steps.set(key, upcaster);
    return this;
  }

  step(type: string, fromVersion: number): Upcaster | undefined {
    return this.steps.get(stepKey(type, fromVersion));
  }
}

/** The event with its payload brought to the newest version the registry knows. */
export function upcast(event: RecordedEvent, upcasters: Upcasters): RecordedEvent {
  let current = event;
  for (;;) {
    const step = upcasters.step(current.type, current.schemaVersion);
    if (!step) return current;
    current = {
      ...current,
      data: step.upcast(current.data, current),
      schemaVersion: current.schemaVersion + 1,
    };
  }
}

const stepKey = (type: string, fromVersion: number): string => `${type}@${fromVersion}`;
