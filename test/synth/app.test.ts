/**
 * The app as users run it: `npm run synth` (tsx main.ts) over the example
 * environments, deterministic, free of machine paths and secrets, and silent
 * on bad input.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { copyProject, readTree, runSynth } from "../helpers/project-copy";

const project = copyProject();
afterAll(() => fs.rmSync(project, { recursive: true, force: true }));

/** A key in Turbopuffer's format, offered everywhere a user could supply one (SEC-04). */
const CANARY = "tpuf_CANARY8f3a0c1d2e3f4a5b6c7d8e9f0a1b2c3d";
const CANARY_ENV = {
  TF_VAR_vector_store_api_key: CANARY,
  TF_VAR_vector_store_eu_archive_api_key: CANARY,
  TF_VAR_vector_store_inbound_key_platform_admin: CANARY,
  TURBOPUFFER_API_KEY: CANARY,
  LAYER_VECTOR_STORE_API_KEY: CANARY,
  VECTOR_STORE_API_KEY: CANARY,
};

/** A PATH holding only node: cdktf would otherwise run `terraform version` for every terraform_data. */
function pathWithoutTerraform(): string {
  const bin = fs.mkdtempSync(path.join(os.tmpdir(), "layer-bin-"));
  fs.symlinkSync(process.execPath, path.join(bin, "node"));
  return bin;
}

describe("synth of every example environment", () => {
  const first = runSynth(project, { CDKTF_OUTDIR: "out-1", ...CANARY_ENV });
  // The second run has no terraform on PATH: the same bytes prove both that synth is deterministic and
  // that it needs no terraform (the stack's required_version is terraform's own check, not synth's).
  const bin = pathWithoutTerraform();
  const second = runSynth(project, { CDKTF_OUTDIR: "out-2", PATH: bin });
  fs.rmSync(bin, { recursive: true, force: true });

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

  test("works without terraform on PATH: the terraform_data resources and the required version are still written", () => {
    expect({ status: second.status, stderr: second.stderr }).toEqual({ status: 0, stderr: "" });
    const helm = JSON.parse(fs.readFileSync(path.join(project, "out-2/stacks/layer-dev-helm/cdk.tf.json"), "utf8"));
    expect(Object.keys(helm.resource.terraform_data ?? {}).length).toBeGreaterThan(0);
    expect(helm.terraform.required_version).toBe(">= 1.11.0");
  });

  test("is deterministic: two runs give byte-identical output", () => {
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

describe("SEC-04: the canary key offered through the process environment", () => {
  test("appears in no file under the synth output (variables stay unset; nothing reads the environment)", () => {
    const files = readTree(path.join(project, "out-1"));
    expect(files.size).toBeGreaterThan(0);
    expect([...files].filter(([, content]) => content.includes(CANARY)).map(([file]) => file)).toEqual([]);
    // The secret inputs exist, so the canary had somewhere to go had it been read.
    expect(files.get("stacks/layer-dev-helm/cdk.tf.json")).toContain('"vector_store_api_key"');
  });
});

describe("bad environment and values files", () => {
  const VALID =
    'accountId: "123456789012"\nregion: us-east-1\navailabilityZones: [us-east-1a, us-east-1b]\ndeployPrincipalArn: arn:aws:iam::123456789012:role/layer-deploy\n';
  const planted: Record<string, string> = {
    "environments/broken.yaml": 'accountId: "123"\nregion: us-east-1\navailabilityZones: [us-east-1a, us-east-1b]\n',
    // Secret literals in values files: refused, and never echoed.
    "environments/leaky.yaml": VALID,
    "helm-values/leaky.yaml": `vectorStore:\n  credential:\n    apiKey: ${CANARY}\n`,
    "environments/leaky-keys.yaml": VALID,
    "helm-values/leaky-keys.yaml": `vectorStore:\n  inboundAuth:\n    mode: keys\n    keys:\n      - {name: admin, scopes: [admin], worker: true, apiKey: ${CANARY}}\n`,
    "environments/leaky-field.yaml": VALID,
    "helm-values/leaky-field.yaml": `gateway:\n  indexNamespace: ${CANARY}\n`,
    // A wired key set by hand.
    "environments/overrides.yaml": VALID,
    "helm-values/overrides.yaml": "s3:\n  bucket: somebody-elses-bucket\n",
  };
  let run: { status: number; stdout: string; stderr: string };
  beforeAll(() => {
    for (const [file, text] of Object.entries(planted)) fs.writeFileSync(path.join(project, file), text);
    try {
      run = runSynth(project, { CDKTF_OUTDIR: "out-broken", ...CANARY_ENV });
    } finally {
      for (const file of Object.keys(planted)) fs.rmSync(path.join(project, file));
    }
  });

  test("stop synth with a non-zero exit, a clear message per file and nothing written", () => {
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('environments/broken.yaml: accountId: found "123"; expected a 12-digit AWS account id');
    expect(run.stderr).toContain(
      "helm-values/overrides.yaml: s3.bucket: found a value; expected no s3.bucket here: it is wired from the AWS stack layer-overrides-aws",
    );
    expect(run.stderr).not.toMatch(/at .*\.ts:\d+/); // a message, not a stack trace
    expect(fs.existsSync(path.join(project, "out-broken"))).toBe(false);
  });

  test("SEC-04: secret literals in values files are refused without printing them", () => {
    expect(run.stderr).toContain("helm-values/leaky.yaml: vectorStore.credential.apiKey: found a secret literal (value not shown)");
    expect(run.stderr).toContain("helm-values/leaky-keys.yaml: vectorStore.inboundAuth.keys[0].apiKey: found a secret literal (value not shown)");
    expect(run.stderr).toContain("helm-values/leaky-field.yaml: gateway.indexNamespace: found a secret literal (value not shown)");
    expect(`${run.stdout}${run.stderr}`).not.toContain(CANARY);
  });
});
