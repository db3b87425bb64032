/**
 * The one ordering of ids used wherever output must be deterministic (toJSON, diff, problems).
 */

/** Code-unit order: unlike localeCompare it is the same on every machine and locale. */
export function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
