/** For fault tests that assert how long a failure takes to come, not only that it comes. */

/** the rejection of `work` and how long it took; a success is turned into an error to assert on */
export async function failureOf(
  work: () => Promise<unknown>,
): Promise<{ error: unknown; ms: number }> {
  const started = Date.now();
  const error = await work().then(
    () => new Error('expected a failure, but it succeeded'),
    (e: unknown) => e,
  );
  return { error, ms: Date.now() - started };
}
