/** What the collab endpoint needs to know about who is connected; decided by the app's auth. */
export interface ConnectionAccess {
  readonly userId: string;
  readonly name?: string;
  /** false: the connection syncs read-only; its updates are refused with permission-denied */
  readonly canWrite: boolean;
}

export interface ConnectRequest {
  readonly planId: string;
  /** the `token` query parameter (what `WebsocketProvider`'s `params: {token}` sends) */
  readonly token: string | undefined;
  readonly params: URLSearchParams;
}

/** Throws ConnectionClosingError (401/403/404-like close codes) to refuse. */
export type Authenticate = (request: ConnectRequest) => Promise<ConnectionAccess>;
