/**
 * The NDJSON form of stored events used by `export` and `import`: one event per line with
 * everything the hash chain covers, binary payloads as base64.
 *
 *   {"streamId":"plan-p1","version":0,"id":"…","type":"PlanCreated","schemaVersion":1,
 *    "dataEncoding":"json","data":{…},"metadata":{…},"prevHash":"000…","hash":"9f2…","position":1}
 */
import type { EventPayload, JsonObject, RecordedEvent } from '@lib/event-store';

export interface EventLine {
  readonly streamId: string;
  readonly version: number;
  readonly id: string;
  readonly type: string;
  readonly schemaVersion: number;
  readonly dataEncoding: 'json' | 'base64';
  readonly data: unknown;
  readonly metadata: RecordedEvent['metadata'];
  readonly prevHash: string;
  readonly hash: string;
  /** position in the exporting store; informational (the importing store assigns its own) */
  readonly position: number;
}

export function writeEventLine(event: RecordedEvent): string {
  const binary = event.data instanceof Uint8Array;
  const line: EventLine = {
    streamId: event.streamId,
    version: event.version,
    id: event.id,
    type: event.type,
    schemaVersion: event.schemaVersion,
    dataEncoding: binary ? 'base64' : 'json',
    data: binary ? Buffer.from(event.data as Uint8Array).toString('base64') : event.data,
    metadata: event.metadata,
    prevHash: event.prevHash,
    hash: event.hash,
    position: event.position,
  };
  return JSON.stringify(line);
}

export class InvalidEventLineError extends Error {
  readonly code = 'INVALID_EVENT_LINE';
  constructor(
    readonly lineNumber: number,
    reason: string,
  ) {
    super(`line ${lineNumber}: ${reason}`);
  }
}

export function readEventLine(
  text: string,
  lineNumber: number,
): EventLine & { payload: EventPayload } {
  let parsed: Partial<EventLine>;
  try {
    parsed = JSON.parse(text) as Partial<EventLine>;
  } catch {
    throw new InvalidEventLineError(lineNumber, 'is not JSON');
  }
  for (const field of ['streamId', 'id', 'type', 'prevHash', 'hash'] as const) {
    if (typeof parsed[field] !== 'string')
      throw new InvalidEventLineError(lineNumber, `${field} must be a string`);
  }
  if (!Number.isInteger(parsed.version) || (parsed.version as number) < 0)
    throw new InvalidEventLineError(lineNumber, 'version must be an integer ≥ 0');
  if (typeof parsed.metadata !== 'object' || parsed.metadata === null)
    throw new InvalidEventLineError(lineNumber, 'metadata must be an object');
  let payload: EventPayload;
  if (parsed.dataEncoding === 'base64' && typeof parsed.data === 'string')
    payload = new Uint8Array(Buffer.from(parsed.data, 'base64'));
  else if (
    parsed.dataEncoding === 'json' &&
    typeof parsed.data === 'object' &&
    parsed.data !== null &&
    !Array.isArray(parsed.data)
  ) {
    payload = parsed.data as JsonObject;
  } else
    throw new InvalidEventLineError(
      lineNumber,
      'data must be base64 text or a JSON object as dataEncoding says',
    );
  return { ...(parsed as EventLine), schemaVersion: parsed.schemaVersion ?? 1, payload };
}
