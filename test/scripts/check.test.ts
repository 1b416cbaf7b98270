/**
 * A user's own environment is first-class: copied into a scratch project next
 * to the examples, `npm run check -- <env>` proves it end to end (synth,
 * audit, terraform validate and offline plan, the Helm stack's stubbed
 * validate, the review), and a protected environment the audit would fail is
 * refused at synth with the field to change.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { formatCheck } from "../../scripts/check";
import { copyProject } from "../helpers/project-copy";
import { PROJECT_ROOT } from "../helpers/synth";
import { findToolchain } from "../helpers/terraform";
import { allTiersRequired } from "../helpers/tiers";
import { referenceDir } from "../helpers/reference";

/** A third fresh-cluster environment in another region, protected, as a platform team would add it. */
const USER_ENVIRONMENT = `accountId: "210987654321"
region: eu-west-1
availabilityZones: [eu-west-1a, eu-west-1b, eu-west-1c]
protected: true
deployPrincipalArn: arn:aws:iam::210987654321:role/platform-deploy
cluster:
  logTypes: [api, audit, authenticator, controllerManager, scheduler]
karpenter:
  amiAlias: al2023@v20260714
release:
  images:
    gateway: {tag: "0.5.2"}
    operator: {tag: "0.5.2"}
    dashboard: {tag: "0.5.2"}
`;

const project = copyProject();
afterAll(() => fs.rmSync(project, { recursive: true, force: true }));

function runCheck(name: string) {
  // The scratch project has no ../shared beside it: it is given this project's reference directory.
  const reference = referenceDir();
  const env = { ...process.env, ...(reference ? { LAYER_REFERENCE_DIR: reference } : {}) };
  const run = spawnSync(path.join(PROJECT_ROOT, "node_modules/.bin/tsx"), ["scripts/check.ts", name], { cwd: project, encoding: "utf8", timeout: 300000, env });
  const verdicts = Object.fromEntries(
    run.stdout
      .split("\n")
      .map((l) => /^(pass|FAIL|SKIP)\s+(\S+(?: \S+)?)\s{2,}/.exec(l))
      .filter((m): m is RegExpExecArray => !!m)
      .map((m) => [m[2], m[1]]),
  );
  return { status: run.status, stdout: run.stdout, stderr: run.stderr, verdicts };
}

describe("a user's environment added next to the examples", () => {
  let run: ReturnType<typeof runCheck>;
  beforeAll(() => {
    fs.writeFileSync(path.join(project, "environments/acme.yaml"), USER_ENVIRONMENT);
    fs.writeFileSync(path.join(project, "helm-values/acme.yaml"), "# Every chart default.\n");
    run = runCheck("acme");
  });

  test("passes every step of npm run check, with one verdict line each", () => {
    const unavailable = allTiersRequired() ? "FAIL" : "SKIP";
    const terraform = typeof findToolchain() === "string" ? unavailable : "pass";
    // The simulation renders the reference charts; without them it says so.
    const simulate = referenceDir() ? "pass" : unavailable;
    expect({ verdicts: run.verdicts, stderr: run.stderr }).toEqual({
      verdicts: {
        synth: "pass",
        audit: "pass",
        "terraform aws": terraform,
        "terraform helm": terraform,
        simulate,
        review: "pass",
      },
      stderr: "",
    });
    expect(run.status).toBe(terraform === "FAIL" || simulate === "FAIL" ? 1 : 0);
    expect(run.stdout).toContain("check acme: ");
  });

  test("synthesizes only that environment", () => {
    expect(fs.readdirSync(path.join(project, "cdktf.out/stacks")).sort()).toEqual(["layer-acme-aws", "layer-acme-helm"]);
    const aws = JSON.parse(fs.readFileSync(path.join(project, "cdktf.out/stacks/layer-acme-aws/cdk.tf.json"), "utf8"));
    expect(aws.provider.aws[0].allowed_account_ids).toEqual(["210987654321"]);
    expect(fs.existsSync(path.join(project, "cdktf.out/review/acme.md"))).toBe(true);
  });
});

test("a protected environment the audit would fail is refused at synth, naming the field", () => {
  fs.writeFileSync(path.join(project, "environments/few-logs.yaml"), USER_ENVIRONMENT.replace(/cluster:\n {2}logTypes: .*\n/, ""));
  const run = runCheck("few-logs");
  expect(run.status).toBe(1);
  expect(run.verdicts).toEqual({ synth: "FAIL" });
  expect(run.stdout).toContain("environments/few-logs.yaml: cluster.logTypes: found");
  expect(run.stdout).toContain("as the audit's EKS-04 requires");
  expect(run.stdout).toContain("check few-logs: FAILED");
});

test("the verdict line says how many steps did not run, so a pass with skipped tiers never reads as a full pass", () => {
  const pass = { verdict: "pass" as const, detail: "ok" };
  const skip = { verdict: "SKIP" as const, detail: "terraform is not on PATH" };
  expect(
    formatCheck("x", [{ step: "synth", ...pass }])
      .split("\n")
      .pop(),
  ).toBe("check x: passed");
  expect(
    formatCheck("x", [
      { step: "synth", ...pass },
      { step: "terraform aws", ...skip },
      { step: "terraform helm", ...skip },
    ])
      .split("\n")
      .pop(),
  ).toBe("check x: passed, 2 steps not run (SKIP)");
});
