/** The terraform tier for tests: the shared runner (scripts/lib/terraform.ts) and its loud skip. */
import { skipTier } from "./tiers";

export * from "../../scripts/lib/terraform";

/** Prints a loud SKIP (a failure under LAYER_REQUIRE_ALL_TIERS=1): a missing toolchain must never look like a pass. */
export function announceSkip(reason: string): void {
  skipTier("terraform tier", reason);
}
