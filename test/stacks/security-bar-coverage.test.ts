/**
 * Every security-bar row that the network, cluster, node group and IAM code
 * answers for is either asserted by a test that cites its id, or recorded as
 * a deviation (with its reason) in docs/. Row ids are read from the shared
 * reference, so a renamed or removed row fails here instead of going stale.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { PROJECT_ROOT } from "../helpers/synth";
import { announceReferenceSkip, referenceDir } from "../helpers/reference";

const CLAIMED = [
  ...range("EKS", 1, 14),
  ...range("NET", 1, 8),
  ...range("IAM", 1, 8),
  ...range("IAM", 11, 14),
  "KMS-01",
  "KMS-02",
  "CW-01",
  "LIFE-01",
  "LIFE-03",
  // Cluster add-ons: Karpenter, load balancer controller, EFS.
  ...range("KAR", 1, 5),
  ...range("EFS", 1, 4),
  "IAM-09",
  "IAM-10",
  "IAM-15",
];

function range(family: string, from: number, to: number): string[] {
  return Array.from({ length: to - from + 1 }, (_, i) => `${family}-${String(from + i).padStart(2, "0")}`);
}

function filesUnder(dir: string, suffix: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith(suffix))
    .map((e) => path.join(e.parentPath, e.name));
}

const reference = referenceDir();
if (!reference) {
  announceReferenceSkip("security-bar coverage");
  test.skip("security-bar coverage skipped: ../shared/reference is absent", () => undefined);
} else {
  const bar = fs.readFileSync(path.join(reference, "security-bar.md"), "utf8");
  const rows = new Set([...bar.matchAll(/^\|\s*\**([A-Z]+-\d{2})\**\s*\|/gm)].map((m) => m[1]));
  const testText = filesUnder(path.join(PROJECT_ROOT, "test"), ".test.ts")
    .filter((f) => !f.endsWith("security-bar-coverage.test.ts"))
    .map((f) => fs.readFileSync(f, "utf8"))
    .join("\n");
  const docsText = filesUnder(path.join(PROJECT_ROOT, "docs"), ".md").map((f) => fs.readFileSync(f, "utf8")).join("\n");

  test.each(CLAIMED)("%s exists in the security bar and is tested or recorded as a deviation", (id) => {
    expect(rows.has(id)).toBe(true);
    const tested = new RegExp(`\\b${id}\\b`).test(testText);
    const recorded = new RegExp(`^\\|[^\\n]*\\b${id}\\b[^\\n]*\\|[^\\n]+\\|[^\\n]+\\|$`, "m").test(docsText);
    expect(tested || recorded).toBe(true);
  });
}
