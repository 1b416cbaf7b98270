/**
 * `npm run review` end to end, in process: every example environment, a
 * previous cdktf.out as base, and a git ref synthesized with its own code.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseArgs, runReview } from "../../review/run";
import { App } from "cdktf";
import { loadEnvironments } from "../../config/load";
import { addEnvironment } from "../../stacks/environment-stacks";
import { copyProject } from "../helpers/project-copy";
import { environmentNames, PROJECT_ROOT } from "../helpers/synth";
import { mermaidProblems } from "../helpers/mermaid";

const out = fs.mkdtempSync(path.join(os.tmpdir(), "layer-review-out-"));
afterAll(() => fs.rmSync(out, { recursive: true, force: true }));

test("writes <env>.md and <env>.json for every environment, without a prior synth", async () => {
  const { reviews, files } = await runReview({ projectRoot: PROJECT_ROOT, outDir: out });
  const names = environmentNames().sort();
  expect(reviews.map((r) => r.environment)).toEqual(names);
  expect(files.map((f) => path.basename(f)).sort()).toEqual(names.flatMap((n) => [`${n}.json`, `${n}.md`]).sort());
  for (const name of names) {
    const json = JSON.parse(fs.readFileSync(path.join(out, `${name}.json`), "utf8"));
    const md = fs.readFileSync(path.join(out, `${name}.md`), "utf8");
    expect(json.environment).toBe(name);
    expect(Number.isFinite(json.monthlyCostUsd)).toBe(true);
    expect(md).toContain(`**Baseline $${json.monthlyCostUsd.toFixed(2)}/month**`);
    const mermaid = /```mermaid\n([\s\S]*?)\n```/.exec(md)?.[1] ?? "";
    expect(mermaidProblems(mermaid)).toEqual([]);
    expect(md).toContain("### Cluster");
  }
  const dev = JSON.parse(fs.readFileSync(path.join(out, "dev.json"), "utf8"));
  if (dev.cluster.skipped) return void process.stderr.write(`SKIP Cluster section contents: ${dev.cluster.skipped}\n`);
  expect(dev.cluster.systemNodes.map((n: { node: string; instanceType: string }) => `${n.node} ${n.instanceType}`)).toEqual(["node group system i4i.large"]);
  expect(fs.readFileSync(path.join(out, "dev.md"), "utf8")).toMatch(/\*\*node group system\*\* \(1 × i4i\.large\): requested \*\*\d+m of 1930m CPU\*\*/);
  // The install simulation's view of each add-on: the KEDA pods land on the system node group only.
  expect(dev.cluster.addons.map((a: { addon: string }) => a.addon)).toEqual(["load-balancer-controller", "karpenter", "worker-pools", "keda"]);
  expect(fs.readFileSync(path.join(out, "dev.md"), "utf8")).toMatch(/\| keda \| keda 2\.20\.2 \| Deployment keda\/keda-operator → node group system;/);
  const existing = JSON.parse(fs.readFileSync(path.join(out, "existing.json"), "utf8"));
  expect(existing.cluster.prerequisites.map((p: { what: string }) => p.what)).toContain("the cluster's nodes");
});

describe("against a base", () => {
  const project = copyProject();
  afterAll(() => fs.rmSync(project, { recursive: true, force: true }));
  const git = (...args: string[]) => {
    const r = spawnSync("git", args, {
      cwd: project,
      encoding: "utf8",
      env: { ...process.env, GIT_AUTHOR_NAME: "t", GIT_AUTHOR_EMAIL: "t@example.com", GIT_COMMITTER_NAME: "t", GIT_COMMITTER_EMAIL: "t@example.com" },
    });
    if (r.status !== 0) throw new Error(r.stderr);
    return r.stdout;
  };

  test("a previous cdktf.out: an unchanged project shows no change", async () => {
    // What `npm run synth` leaves behind, written in process (faster than spawning the app).
    const app = new App({ outdir: path.join(project, "previous") });
    for (const env of loadEnvironments(project, "dev")) addEnvironment(app, env);
    app.synth();
    const { reviews } = await runReview({ projectRoot: project, only: "dev", baseDir: "previous", outDir: path.join(out, "dir"), cluster: false });
    expect(reviews[0].diff.base).toBe("previous");
    expect([reviews[0].diff.added, reviews[0].diff.removed, reviews[0].diff.changed]).toEqual([[], [], []]);
  });

  test("a git ref: synthesized with that ref's code; an edited environment shows the change", async () => {
    fs.writeFileSync(path.join(project, ".gitignore"), "node_modules\ncdktf.out/\nprevious/\n");
    git("init", "-q");
    git("add", "-A");
    git("commit", "-qm", "base");
    const file = path.join(project, "environments/dev.yaml");
    fs.writeFileSync(file, `${fs.readFileSync(file, "utf8")}dataBucket:\n  clickstreamRetentionDays: 14\n`);
    const { reviews } = await runReview({ projectRoot: project, only: "dev", baseRef: "HEAD", outDir: path.join(out, "ref"), cluster: false });
    const diff = reviews[0].diff;
    expect(diff.base).toBe("HEAD");
    expect(diff.changed).toEqual([expect.objectContaining({ stack: "layer-dev-aws", address: "aws_s3_bucket_lifecycle_configuration.data_bucket_lifecycle" })]);
    expect(diff.replacements).toEqual([]);
    const md = fs.readFileSync(path.join(out, "ref/dev.md"), "utf8");
    expect(md).toContain("Against `HEAD`: 0 added, 1 changed, 0 removed.");
  });

  test("a bad git ref fails with git's message", async () => {
    await expect(runReview({ projectRoot: project, only: "dev", baseRef: "no-such-ref", outDir: path.join(out, "bad"), cluster: false })).rejects.toThrow(
      /git archive no-such-ref failed/,
    );
  });
});

describe("arguments", () => {
  test("--base, --base-ref, --env, --out and LAYER_ENV", () => {
    expect(parseArgs(["--base", "old/cdktf.out"], { LAYER_ENV: "dev" })).toEqual({ only: "dev", baseDir: "old/cdktf.out" });
    expect(parseArgs(["--base-ref", "origin/main", "--env", "prod", "--fail-on-replacement"])).toEqual({
      only: "prod",
      baseRef: "origin/main",
      failOnReplacement: true,
    });
  });
  test("mistakes are refused with the usage", () => {
    expect(() => parseArgs(["--base"])).toThrow(/--base needs a value/);
    expect(() => parseArgs(["--bsae", "x"])).toThrow(/unknown argument --bsae/);
    expect(() => parseArgs(["--base", "a", "--base-ref", "b"])).toThrow(/either --base or --base-ref/);
  });
});
