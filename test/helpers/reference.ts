import * as fs from "node:fs";
import * as path from "node:path";
import { PROJECT_ROOT } from "./synth";
import { skipTier } from "./tiers";

/**
 * The reference material (upstream charts, CRDs, chart values, compat tables,
 * the security bar) lives outside the project, never inside it:
 * `LAYER_REFERENCE_DIR` (relative paths are taken from the project root),
 * by default `../shared/reference`. `npm run fetch-reference` fills it from
 * upstream at the pinned versions.
 */
export const DEFAULT_REFERENCE_DIR = "../shared/reference";

/** Where reference data is looked for, whether or not it exists. */
export function referenceDirSetting(): string {
  return path.resolve(PROJECT_ROOT, process.env.LAYER_REFERENCE_DIR || DEFAULT_REFERENCE_DIR);
}

/** The reference directory, or undefined when it does not exist. */
export function referenceDir(): string | undefined {
  const dir = referenceDirSetting();
  return fs.existsSync(dir) ? dir : undefined;
}

/** Prints a loud SKIP (a failure under LAYER_REQUIRE_ALL_TIERS=1): missing reference material must never look like a pass. */
export function announceReferenceSkip(what: string): void {
  skipTier(what, `no reference data at ${referenceDirSetting()} (set LAYER_REFERENCE_DIR, or run npm run fetch-reference)`);
}

/** `describe` when the reference file exists, otherwise one loudly skipped test that says why. */
export function describeWithReference(title: string, relative: string, body: (file: string) => void): void {
  const dir = referenceDir();
  const file = dir ? path.join(dir, relative) : undefined;
  if (!file || !fs.existsSync(file)) {
    announceReferenceSkip(`${title} (needs <reference>/${relative})`);
    test.skip(`${title} skipped: <reference>/${relative} not found`, () => undefined);
    return;
  }
  describe(title, () => body(file));
}
