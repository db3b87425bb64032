/**
 * Calendar feed tokens: calendar apps subscribe to a URL and cannot send an Authorization
 * header, so the URL carries a token of its own — read-only, for one plan and one user, valid
 * while that user's current feed on the plan (a membership event) has this id and the user may
 * still read the plan. It is an HMAC with the server's JWT secret, so it is checked without a
 * lookup and a feed id read from the log cannot be turned into a token:
 *
 *   <base64url(userId)>.<feedId>.<base64url(HMAC-SHA256(secret, "calendar-feed\0planId\0userId\0feedId"))>
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export interface CalendarFeedClaim {
  readonly userId: string;
  readonly feedId: string;
}

export class CalendarFeedTokens {
  constructor(private readonly secret: string) {}

  /** a new, unguessable feed id */
  static newFeedId(): string {
    return randomBytes(12).toString('base64url');
  }

  mint(planId: string, claim: CalendarFeedClaim): string {
    return `${Buffer.from(claim.userId).toString('base64url')}.${claim.feedId}.${this.sign(planId, claim)}`;
  }

  /** the claim of a well-signed token for this plan, else undefined */
  read(planId: string, token: string): CalendarFeedClaim | undefined {
    const parts = token.split('.');
    if (parts.length !== 3) return undefined;
    const [user, feedId, signature] = parts;
    const userId = Buffer.from(user, 'base64url').toString('utf8');
    if (userId === '' || feedId === '') return undefined;
    const expected = Buffer.from(this.sign(planId, { userId, feedId }));
    const given = Buffer.from(signature);
    return given.length === expected.length && timingSafeEqual(given, expected)
      ? { userId, feedId }
      : undefined;
  }

  private sign(planId: string, { userId, feedId }: CalendarFeedClaim): string {
    return createHmac('sha256', this.secret)
      .update(`calendar-feed\0${planId}\0${userId}\0${feedId}`)
      .digest('base64url');
  }
}
