import * as fs from "node:fs";
import * as path from "node:path";
import { PROJECT_ROOT } from "./synth";

/**
 * The shared reference folder (security bar, upstream snapshots). It sits next
 * to the project in the integration checkout and two levels up in a worktree
 * under wt/<branch>; undefined when neither exists.
 */
export function referenceDir(): string | undefined {
  for (const candidate of [path.resolve(PROJECT_ROOT, "../shared/reference"), path.resolve(PROJECT_ROOT, "../../shared/reference")]) {
    if (fs.existsSync(candidate)) return candidate;
  }
  return undefined;
}

/** Prints a loud SKIP: a missing reference must never look like a pass. */
export function announceReferenceSkip(what: string): void {
  const line = "=".repeat(78);
  process.stderr.write(`\n${line}\nSKIP ${what}: ../shared/reference is absent\n${line}\n\n`);
}
