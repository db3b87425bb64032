/**
 * libs/collab's protocol module (imported for the durable-ack message ids) mentions Node's
 * `Buffer` in `closeReason`, which only the server calls. This declares just what that
 * function uses so the browser build type-checks without Node's globals.
 */
interface ServerOnlyBuffer {
  readonly length: number;
  subarray(start: number, end: number): ServerOnlyBuffer;
  toString(encoding?: string): string;
}
declare const Buffer: { from(text: string, encoding: string): ServerOnlyBuffer };
