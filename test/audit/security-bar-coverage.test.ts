/**
 * Every row of the security bar that applies to what the project creates has
 * an audit rule with the same id, and the rule cites the row's checkov/trivy
 * ids. Rows without a rule are listed here with the reason.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { RULES } from "../../audit/rules";
import { announceReferenceSkip, referenceDir } from "../helpers/reference";

/** Rows the audit does not turn into rules, and why. */
const NOT_RULES: Record<string, string> = {
  "TF-03": "the state bucket is built by a separate bootstrap stack outside this project",
};

const dir = referenceDir();
const bar = dir ? fs.readFileSync(path.join(dir, "security-bar.md"), "utf8") : undefined;
if (!bar) announceReferenceSkip("security-bar coverage");
const maybe = bar ? test : test.skip;

/** `| **S3-01** | ... | ... | ... | CK CKV2_AWS_6; AVD-AWS-0094 |` → id and the scanner ids in its source column. */
function rows(text: string): Array<{ id: string; scanners: string[] }> {
  return text.split("\n").flatMap((line) => {
    const m = /^\|\s*\**([A-Z0-9]+-\d{2})\**\s*\|/.exec(line);
    if (!m) return [];
    const source = line.split("|").slice(-2)[0] ?? "";
    const scanners = [...source.matchAll(/\b(CKV2?_AWS_\d+|AVD-AWS-\d{4})\b/g)].map((x) => x[1]);
    return [{ id: m[1], scanners }];
  });
}

maybe("every applicable security-bar row has a rule of the same id", () => {
  const ids = new Set(RULES.map((r) => r.id));
  const missing = rows(bar!)
    .map((r) => r.id)
    .filter((id) => !ids.has(id) && !NOT_RULES[id]);
  expect(missing).toEqual([]);
});

maybe("each rule cites the scanner ids of its security-bar row ", () => {
  const problems: string[] = [];
  for (const row of rows(bar!)) {
    const rule = RULES.find((r) => r.id === row.id);
    if (!rule) continue;
    const cited = rule.scanners.join(" ");
    const missing = row.scanners.filter((s) => !cited.includes(s));
    if (missing.length > 0) problems.push(`${row.id}: cites ${cited || "none"}, bar lists ${row.scanners.join(", ")}`);
  }
  expect(problems).toEqual([]);
});
