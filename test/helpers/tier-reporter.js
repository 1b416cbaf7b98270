/**
 * One line per test tier after the run (a tier is a folder of test/), with a
 * verdict a reader can act on: FAIL when a test failed, SKIP when nothing of
 * the tier ran, pass otherwise (with how many tests were skipped).
 */
const path = require("node:path");

const TIERS = [
  ["config", "config rules and bad input"],
  ["constructs", "constructs"],
  ["addons", "cluster add-ons (registry, halves)"],
  ["stacks", "stacks and pinned addresses"],
  ["synth", "synth of the app"],
  ["audit", "audit (security bar, IAM, access)"],
  ["review", "review and cost"],
  ["terraform", "terraform validate and offline plan"],
  ["lint", "lint rules"],
  ["ci", "CI, lockfile and reference data"],
  ["docs", "docs"],
  ["scripts", "scripts (check, teardown)"],
];

class TierReporter {
  constructor(globalConfig) {
    this.testRoot = path.join(globalConfig.rootDir, "test");
    this.tiers = new Map();
  }

  onTestResult(_test, result) {
    const folder = path.relative(this.testRoot, result.testFilePath).split(path.sep)[0];
    const tier = this.tiers.get(folder) ?? { passed: 0, failed: 0, skipped: 0, files: 0, ms: 0 };
    tier.passed += result.numPassingTests;
    tier.failed += result.numFailingTests + (result.testExecError ? 1 : 0);
    tier.skipped += result.numPendingTests + result.numTodoTests;
    tier.files += 1;
    tier.ms += Math.max(0, result.perfStats.end - result.perfStats.start);
    this.tiers.set(folder, tier);
  }

  onRunComplete() {
    const known = new Map(TIERS);
    const order = [...TIERS.map(([folder]) => folder), ...[...this.tiers.keys()].filter((f) => !known.has(f)).sort()];
    const lines = [];
    for (const folder of order) {
      const t = this.tiers.get(folder);
      if (!t) continue;
      const verdict = t.failed > 0 ? "FAIL" : t.passed === 0 ? "SKIP" : "pass";
      const skipped = t.skipped > 0 ? `, ${t.skipped} skipped` : "";
      lines.push(
        `${verdict.padEnd(4)}  ${(known.get(folder) ?? folder).padEnd(38)}  ${t.passed} passed, ${t.failed} failed${skipped}  (${t.files} files, ${(t.ms / 1000).toFixed(1)} s)`,
      );
    }
    process.stderr.write(`\n${lines.join("\n")}\n`);
  }
}

module.exports = TierReporter;
