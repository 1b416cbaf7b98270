/** `npm run simulate`: a readable table, exit 0 when every check passes and 1 when one fails. */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { announceHelmSkip, findHelm } from "../helpers/helm-binary";
import { PROJECT_ROOT } from "../helpers/synth";
import { FixtureOptions, fixtureStacks } from "../simulation/fixture-world";

const helm = findHelm();
if (typeof helm !== "string") announceHelmSkip(helm.skip);
const testHelm = typeof helm === "string" ? test : test.skip;

function simulateFixture(options: FixtureOptions) {
  const env = fixtureStacks(options);
  for (const [name, stack] of Object.entries(env.stacks)) {
    fs.mkdirSync(path.join(env.stacksDir, "stacks", name), { recursive: true });
    fs.writeFileSync(path.join(env.stacksDir, "stacks", name, "cdk.tf.json"), JSON.stringify(stack));
  }
  const run = spawnSync(path.join(PROJECT_ROOT, "node_modules/.bin/tsx"), ["scripts/simulate.ts", "fx", "--from", env.stacksDir], {
    cwd: PROJECT_ROOT,
    encoding: "utf8",
    timeout: 120000,
  });
  fs.rmSync(env.stacksDir, { recursive: true, force: true });
  return run;
}

testHelm(
  "exit 0 and a summary table when every check passes; exit 1 naming the failure when one fails",
  () => {
    const good = simulateFixture({});
    expect(good.stderr).toBe("");
    expect(good.status).toBe(0);
    expect(good.stdout).toMatch(/^Install simulation of fx \(fresh-cluster\): \d+ pass, 0 fail/m);
    expect(good.stdout).toMatch(/^check +pass +fail +unknown +skip$/m);
    expect(good.stdout).toContain("node group system: 1 × i4i.large, allocatable per node 1930m CPU, 14481 MiB, 29 pods");

    const bad = simulateFixture({ trustedSubject: "system:serviceaccount:app:other" });
    expect(bad.status).toBe(1);
    expect(bad.stdout).toMatch(/^FAIL +irsa +ServiceAccount app\/app .*fx-app trusts app\/other, not app\/app/m);
    expect(bad.stdout).toMatch(/1 failing check\(s\)$/m);
  },
  240000,
);

testHelm(
  "charts missing from the reference directory: a loud SKIP, and a failure when every tier is required",
  () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), "layer-no-reference-"));
    try {
      const simulateDev = (required: string) =>
        spawnSync(path.join(PROJECT_ROOT, "node_modules/.bin/tsx"), ["scripts/simulate.ts", "dev"], {
          cwd: PROJECT_ROOT,
          encoding: "utf8",
          timeout: 120000,
          env: { ...process.env, LAYER_REFERENCE_DIR: empty, LAYER_REQUIRE_ALL_TIERS: required },
        });
      const lenient = simulateDev("");
      expect(lenient.status).toBe(0);
      expect(lenient.stderr).toMatch(/^SKIP: \d+ release\(s\) not rendered, first: .*is not in /m);
      const strict = simulateDev("1");
      expect(strict.status).toBe(1);
      expect(strict.stderr).toMatch(/^FAIL: \d+ release\(s\) not rendered/m);
    } finally {
      fs.rmSync(empty, { recursive: true, force: true });
    }
  },
  240000,
);
