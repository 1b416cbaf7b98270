/**
 * Skipping a tier is loud, and under `LAYER_REQUIRE_ALL_TIERS=1` (set by
 * `.ci/run` and the workflows) it is a failure: CI can never go green with a
 * toolchain or the reference data missing.
 */

/** True when every tier must run: a skip fails the suite instead. */
export function allTiersRequired(): boolean {
  return process.env.LAYER_REQUIRE_ALL_TIERS === "1";
}

/**
 * Call at the top level of a test file (or in a `describe`) instead of
 * running a tier. Prints a banner; registers a failing test when every tier
 * is required.
 */
export function skipTier(tier: string, reason: string): void {
  const line = "=".repeat(78);
  const required = allTiersRequired();
  process.stderr.write(`\n${line}\n${required ? "FAIL" : "SKIP"} ${tier}: ${reason}\n${line}\n\n`);
  if (required) {
    test(`${tier} runs (LAYER_REQUIRE_ALL_TIERS=1)`, () => {
      throw new Error(`${tier} cannot run: ${reason}. LAYER_REQUIRE_ALL_TIERS=1 turns this skip into a failure.`);
    });
  }
}
