/**
 * Upstream reference data (CRDs, chart values, the security bar) lives outside
 * the repository in `../shared/reference/`. It is found from the project root
 * (or one level further up, for a worktree under `wt/<branch>`); tests that
 * need it skip loudly when it is absent.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { PROJECT_ROOT } from "./synth";

export function referenceDir(): string | undefined {
  for (const candidate of [path.resolve(PROJECT_ROOT, "../shared/reference"), path.resolve(PROJECT_ROOT, "../../shared/reference")]) {
    if (fs.existsSync(candidate)) return candidate;
  }
  return undefined;
}

/** `describe` when the reference file exists, otherwise one skipped test that says why. */
export function describeWithReference(title: string, relative: string, body: (file: string) => void): void {
  const dir = referenceDir();
  const file = dir ? path.join(dir, relative) : undefined;
  if (!file || !fs.existsSync(file)) {
    const line = "=".repeat(78);
    process.stderr.write(`\n${line}\nSKIP ${title}: ../shared/reference/${relative} not found\n${line}\n\n`);
    test.skip(`${title} skipped: ../shared/reference/${relative} not found`, () => undefined);
    return;
  }
  describe(title, () => body(file));
}
