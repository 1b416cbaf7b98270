/**
 * The app as users run it: `npm run synth` (tsx main.ts) over the example
 * environments, deterministic, free of machine paths, and silent on bad input.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { copyProject, readTree, runSynth } from "../helpers/project-copy";

const project = copyProject();
afterAll(() => fs.rmSync(project, { recursive: true, force: true }));

describe("synth of every example environment", () => {
  const first = runSynth(project, { CDKTF_OUTDIR: "out-1" });
  const second = runSynth(project, { CDKTF_OUTDIR: "out-2" });

  test("succeeds", () => {
    expect(first.stderr).toBe("");
    expect(first.status).toBe(0);
  });

  test("writes layer-<env>-aws and layer-<env>-helm for each environment (no AWS stack for helm-only)", () => {
    expect(fs.readdirSync(path.join(project, "out-1/stacks")).sort()).toEqual([
      "layer-dev-aws",
      "layer-dev-helm",
      "layer-existing-aws",
      "layer-existing-helm",
      "layer-helm-only-helm",
      "layer-prod-aws",
      "layer-prod-helm",
    ]);
    expect(fs.existsSync(path.join(project, "out-1/stacks/layer-dev-aws/cdk.tf.json"))).toBe(true);
  });

  test("is deterministic: two runs give byte-identical output", () => {
    expect(second.status).toBe(0);
    const a = readTree(path.join(project, "out-1"));
    const b = readTree(path.join(project, "out-2"));
    expect([...a.keys()].sort()).toEqual([...b.keys()].sort());
    for (const [file, content] of a) expect(b.get(file)).toBe(content);
  });

  test("holds no absolute machine path", () => {
    for (const [file, content] of readTree(path.join(project, "out-1"))) {
      expect({ file, hit: content.includes(project) || /"\/(work|tmp|root|home)\//.test(content) }).toEqual({ file, hit: false });
    }
  });
});

describe("LAYER_ENV selects one environment", () => {
  test("only that environment's stacks are written", () => {
    const run = runSynth(project, { CDKTF_OUTDIR: "out-dev", LAYER_ENV: "dev" });
    expect(run.status).toBe(0);
    expect(fs.readdirSync(path.join(project, "out-dev/stacks")).sort()).toEqual(["layer-dev-aws", "layer-dev-helm"]);
  });

  test("an unknown name is refused with the list of environments", () => {
    const run = runSynth(project, { CDKTF_OUTDIR: "out-none", LAYER_ENV: "staging" });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('LAYER_ENV: found "staging"; expected the name of a file in environments/: one of dev, existing, helm-only, prod');
    expect(fs.existsSync(path.join(project, "out-none"))).toBe(false);
  });
});

describe("a bad environment file", () => {
  test("stops synth with a non-zero exit, a clear message and nothing written", () => {
    fs.writeFileSync(path.join(project, "environments/broken.yaml"), 'accountId: "123"\nregion: us-east-1\navailabilityZones: [us-east-1a, us-east-1b]\n');
    try {
      const run = runSynth(project, { CDKTF_OUTDIR: "out-broken" });
      expect(run.status).toBe(1);
      expect(run.stderr).toContain('environments/broken.yaml: accountId: found "123"; expected a 12-digit AWS account id');
      expect(run.stderr).not.toMatch(/at .*\.ts:\d+/); // a message, not a stack trace
      expect(fs.existsSync(path.join(project, "out-broken"))).toBe(false);
    } finally {
      fs.rmSync(path.join(project, "environments/broken.yaml"));
    }
  });
});
