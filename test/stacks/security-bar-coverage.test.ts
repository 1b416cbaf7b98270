/**
 * Every security-bar row that the network, cluster, node group and IAM code
 * answers for is met by the example stacks (the audit's rule of that id
 * passes on real resources), or recorded as a deviation (with its reason) in
 * a table of docs/. Row ids are read from the reference data, so a renamed or
 * removed row fails here instead of going stale.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { auditProject } from "../../audit/project";
import { PROJECT_ROOT, exampleEnvironmentNames, synthExample } from "../helpers/synth";
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
  return fs
    .readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith(suffix))
    .map((e) => path.join(e.parentPath, e.name));
}

const reference = referenceDir();
if (!reference) {
  announceReferenceSkip("security-bar coverage");
  test.skip("security-bar coverage skipped: no reference data (security-bar.md)", () => undefined);
} else {
  const bar = fs.readFileSync(path.join(reference, "security-bar.md"), "utf8");
  const rows = new Set([...bar.matchAll(/^\|\s*\**([A-Z]+-\d{2})\**\s*\|/gm)].map((m) => m[1]));
  // Deviations are table rows whose first cell names the id, in the guides (not the generated rules table of docs/audit.md).
  const deviationDocs = filesUnder(path.join(PROJECT_ROOT, "docs"), ".md").filter((f) => path.basename(f) !== "audit.md");
  const deviations = new Set(
    deviationDocs.flatMap((f) =>
      [...fs.readFileSync(f, "utf8").matchAll(/^\|([^|\n]*)\|[^\n]+\|[^\n]+\|$/gm)].flatMap((m) => m[1].match(/[A-Z]+-\d{2}/g) ?? []),
    ),
  );
  let verdicts: Map<string, Set<string>>;
  beforeAll(async () => {
    const audit = await auditProject(exampleEnvironmentNames().map((name) => ({ env: synthExample(name).env, stacks: synthExample(name) })));
    verdicts = new Map();
    for (const { audit: env } of audit.environments) {
      for (const r of env.results) verdicts.set(r.rule.id, new Set([...(verdicts.get(r.rule.id) ?? []), r.status]));
    }
  });

  test.each(CLAIMED)("%s exists in the security bar, and the example stacks meet it or it is a recorded deviation", (id) => {
    expect(rows.has(id)).toBe(true);
    const seen = verdicts.get(id) ?? new Set<string>();
    // Met: the audit's rule of that id judged real resources and passed (or a recorded waiver applies); never failed.
    expect({ id, failed: seen.has("failed") }).toEqual({ id, failed: false });
    const met = seen.has("passed") || seen.has("waived");
    expect({ id, met, recorded: deviations.has(id) }).toEqual(expect.objectContaining({ id, ...(met ? { met: true } : { recorded: true }) }));
  });

  test("a row nobody answers for is caught", () => {
    expect(verdicts.get("NO-99")).toBeUndefined();
    expect(deviations.has("NO-99")).toBe(false);
  });
}
