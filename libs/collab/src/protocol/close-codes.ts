/**
 * Websocket close codes the collab endpoint uses, in one place. 4xxx mirror the HTTP
 * status a REST client would get for the same cause.
 */
export const CloseCode = {
  /** standard: a message exceeded the size limit */
  messageTooBig: 1009,
  /** standard: the server failed (e.g. the event store is unreachable); nothing unacknowledged was stored */
  internalError: 1011,
  /** a frame that is not a valid y-websocket message or carries an undecodable Yjs update */
  protocolError: 4400,
  /** no token, or an invalid/expired one */
  unauthorized: 4401,
  /** the user has no role on the plan, or it was revoked while connected */
  forbidden: 4403,
  /** the plan does not exist */
  planNotFound: 4404,
  /** the document would grow past its size limit */
  documentTooLarge: 4413,
  /** too many messages or connections (standard y-websocket clients do not reconnect after a 44xx close) */
  rateLimited: 4429,
  /** standard "try again later": the client read too slowly and was dropped; it reconnects and resyncs */
  tryAgainLater: 1013,
  /** the server is shutting down; reconnect */
  goingAway: 1001,
} as const;

export type CloseCodeValue = (typeof CloseCode)[keyof typeof CloseCode];

/** An error that ends one connection with a named close code; never the process. */
export class ConnectionClosingError extends Error {
  constructor(
    readonly closeCode: CloseCodeValue,
    readonly reason: string,
  ) {
    super(reason);
  }
}

export const isConnectionClosingError = (e: unknown): e is ConnectionClosingError =>
  e instanceof ConnectionClosingError;

/**
 * Close reasons travel in a control frame of at most 123 bytes. TextEncoder, not Buffer: the
 * browser editor imports this module too.
 */
export function closeReason(reason: string): string {
  const bytes = new TextEncoder().encode(reason);
  if (bytes.length <= 123) return reason;
  // a cut through a multi-byte character decodes to U+FFFD, which is dropped
  return new TextDecoder().decode(bytes.subarray(0, 120)).replace(/\uFFFD+$/, '') + '…';
}
