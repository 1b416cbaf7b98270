import * as fs from "node:fs";
import * as path from "node:path";
import { PROJECT_ROOT } from "./synth";

/**
 * The shared reference material lives next to the project, never inside it:
 * `../shared/reference` from the integration checkout, `../../shared/reference`
 * from a worktree under `wt/`. Undefined when neither exists.
 */
export function referenceDir(): string | undefined {
  for (const candidate of [path.resolve(PROJECT_ROOT, "../shared/reference"), path.resolve(PROJECT_ROOT, "../../shared/reference")]) {
    if (fs.existsSync(candidate)) return candidate;
  }
  return undefined;
}

/** Prints a loud SKIP: missing reference material must never look like a pass. */
export function announceReferenceSkip(what: string): void {
  const line = "=".repeat(78);
  process.stderr.write(`\n${line}\nSKIP ${what}: no shared/reference directory next to the project\n${line}\n\n`);
}

/** `describe` when the reference file exists, otherwise one loudly skipped test that says why. */
export function describeWithReference(title: string, relative: string, body: (file: string) => void): void {
  const dir = referenceDir();
  const file = dir ? path.join(dir, relative) : undefined;
  if (!file || !fs.existsSync(file)) {
    announceReferenceSkip(`${title} (needs ../shared/reference/${relative})`);
    test.skip(`${title} skipped: ../shared/reference/${relative} not found`, () => undefined);
    return;
  }
  describe(title, () => body(file));
}
