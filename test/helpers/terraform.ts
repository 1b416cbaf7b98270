/** The terraform tier for tests: the shared runner (scripts/lib/terraform.ts) and its loud skip. */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { skipTier } from "./tiers";

export * from "../../scripts/lib/terraform";

/** Prints a loud SKIP (a failure under LAYER_REQUIRE_ALL_TIERS=1): a missing toolchain must never look like a pass. */
export function announceSkip(reason: string): void {
  skipTier("terraform tier", reason);
}

/**
 * Every file terraform wrote in `dir` that holds one of the canaries, each
 * entry of the zipped plan `plan.bin` included (values sit there as raw
 * bytes, so this finds what `terraform show -json` would print).
 */
export function leaksIn(dir: string, canaries: string[]): string[] {
  const unzipped = path.join(dir, "plan-unzipped");
  const unzip = spawnSync("unzip", ["-q", "-o", path.join(dir, "plan.bin"), "-d", unzipped], { encoding: "utf8" });
  if (unzip.status !== 0) throw new Error(`unzip of ${path.join(dir, "plan.bin")} failed: ${unzip.stderr ?? unzip.error}`);
  const leaks: string[] = [];
  const walk = (d: string) => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== ".terraform") walk(full);
      } else {
        const content = fs.readFileSync(full);
        for (const canary of canaries) if (content.includes(canary)) leaks.push(`${path.relative(dir, full)}: ${canary}`);
      }
    }
  };
  walk(dir);
  return leaks;
}
