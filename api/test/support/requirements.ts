// Suites that need real services say so. Without them they are reported as skipped, naming what is missing;
// with PARLEY_REQUIRE_ALL_SUITES=1 (set by .ci/run) a missing service fails the run instead.
export function missing(...vars: string[]): string | null {
  const absent = vars.filter((v) => !process.env[v]);
  if (!absent.length) return null;
  const reason = `needs ${absent.join(' and ')}`;
  if (process.env.PARLEY_REQUIRE_ALL_SUITES === '1')
    throw new Error(`This suite ${reason}, and CI requires it to run.`);
  return reason;
}

/** `describe` when nothing is missing; otherwise a skipped describe whose title says why. */
export function describeWith(vars: string[], title: string, fn: () => void) {
  const reason = missing(...vars);
  if (reason) describe.skip(`${title} [not run: ${reason}]`, fn);
  else describe(title, fn);
}
