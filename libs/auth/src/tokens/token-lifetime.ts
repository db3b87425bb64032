/**
 * Token lifetimes as people type them (`90s`, `30m`, `12h`, `7d`, or plain seconds), parsed
 * here rather than by jsonwebtoken so a typo is an error that names the accepted forms.
 */
import { InvalidTokenRequestError } from '../auth-errors';

const UNIT_SECONDS = { s: 1, m: 60, h: 3600, d: 86_400 } as const;
/** a year: tokens cannot be revoked individually (only roles can), so they must expire */
export const MAX_TOKEN_LIFETIME_SECONDS = 365 * 86_400;
export const DEFAULT_TOKEN_LIFETIME = '12h';

export function parseLifetimeSeconds(lifetime: string | number): number {
  const match = typeof lifetime === 'number' ? null : /^\s*(\d+)\s*([smhd]?)\s*$/.exec(lifetime);
  const seconds =
    typeof lifetime === 'number'
      ? lifetime
      : match
        ? Number(match[1]) * UNIT_SECONDS[(match[2] || 's') as keyof typeof UNIT_SECONDS]
        : NaN;
  if (!Number.isInteger(seconds) || seconds <= 0 || seconds > MAX_TOKEN_LIFETIME_SECONDS) {
    throw new InvalidTokenRequestError(
      'expiresIn',
      `must be a positive number of seconds or <n>s|m|h|d, at most 365d, got ${JSON.stringify(lifetime)}`,
    );
  }
  return seconds;
}
