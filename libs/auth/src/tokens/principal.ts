/** Who is asking: the verified `sub` of a token (or the asserted user when AUTH=off). */
export interface Principal {
  readonly userId: string;
  readonly name?: string;
}

/** the principal of every request when AUTH=off and no user is named */
export const ANONYMOUS: Principal = { userId: 'anonymous' };
