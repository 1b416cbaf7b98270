/**
 * `npm run values -- <env>`: the hand-off to plain Helm writes exactly the
 * values the Helm stack passes, from a deployed stack's outputs file, with
 * no secret in it, and refuses outputs of another environment.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parse } from "yaml";
import { buildValues } from "../../scripts/values";
import { RELEASE_OUTPUTS } from "../../stacks/release-wiring";
import { PROJECT_ROOT, environmentFromYaml, synthExample, MINIMAL_ENVIRONMENT } from "../helpers/synth";
import { resourcesOfType, layerRelease } from "../helpers/terraform-json";
import { copyProject } from "../helpers/project-copy";
import { announceHelmSkip, findHelm, writeValuesProbeChart } from "../helpers/helm-binary";
import { errorOf } from "../helpers/config-error";

const FIXTURES = path.join(PROJECT_ROOT, "test/fixtures/outputs");
const CANARY = "tpuf_CANARY8f3a0c1d2e3f4a5b6c7d8e9f0a1b2c3d";
const dev = () => buildValues(PROJECT_ROOT, ["dev", "--outputs", path.join(FIXTURES, "dev.json")], PROJECT_ROOT);

/** The YAML document without its leading comment lines. */
function body(content: string): string {
  return content.replace(/^(#.*\n)+/, "");
}

describe.each([
  ["dev", () => dev()],
  ["helm-only", () => buildValues(PROJECT_ROOT, ["helm-only"], PROJECT_ROOT)],
])("values.%s.yaml", (name, build) => {
  const run = build();
  const helmValues: string = layerRelease(synthExample(name).helm).values[0];

  test("is identical in content to the values the Helm stack passes for the same inputs", () => {
    expect(body(run.content)).toBe(helmValues);
    expect(parse(run.content)).toEqual(parse(helmValues));
  });

  test("says in comments where every secret comes from, passes each with --set-file, and holds none", () => {
    const synth = synthExample(name).helm;
    const setWo = layerRelease(synth).set_wo ?? [];
    expect(setWo.length).toBeGreaterThan(0);
    for (const { name: valuesPath } of setWo) {
      expect(run.content).toContain(`#   ${valuesPath}: `);
      expect(run.command).toContain(`--set-file "${valuesPath}=`);
    }
    expect(body(run.content)).not.toMatch(/apiKey|password|token|pepper/);
  });

  test("names values.<env>.yaml and prints the exact commands: the adoptable namespace, then helm without --create-namespace", () => {
    expect(run.file).toBe(`values.${name}.yaml`);
    const [namespace, install] = run.command.split("\n");
    expect(namespace).toBe(
      "kubectl create namespace layer --dry-run=client -o yaml | kubectl label --local -f - app.kubernetes.io/managed-by=Helm -o yaml | kubectl annotate --local -f - meta.helm.sh/release-name=layer meta.helm.sh/release-namespace=layer -o yaml | kubectl apply -f -",
    );
    expect(install).toMatch(
      new RegExp(`^helm upgrade --install layer oci://\\S+/layer --version 0\\.1\\.0 --namespace layer -f values\\.${name}\\.yaml --set-file`),
    );
    expect(install).not.toContain("--create-namespace");
  });
});

test("the dev command passes the upstream key and the dashboard password with --set-file, quoted against globbing", () => {
  expect(dev().command.split("\n")[1]).toBe(
    'helm upgrade --install layer oci://123456789012.dkr.ecr.us-east-1.amazonaws.com/layer-dev/layer --version 0.1.0 --namespace layer -f values.dev.yaml --set-file "vectorStore.credential.apiKey=$VECTOR_STORE_API_KEY_FILE" --set-file "dashboard.basicAuth.password=$DASHBOARD_PASSWORD_FILE"',
  );
});

test("secrets-manager mode (prod) reads each secret from Secrets Manager into --set-file, without a trailing newline", () => {
  const run = buildValues(PROJECT_ROOT, ["prod", "--outputs", path.join(FIXTURES, "prod.json")], PROJECT_ROOT);
  expect(run.content).toContain(
    "#   vectorStore.credential.apiKey: Upstream API key of the default vector store, from Secrets Manager secret layer-prod/layer-vector-store",
  );
  expect(run.command).toContain(
    '--set-file "keys.pepper=<(printf %s "$(aws secretsmanager get-secret-value --region eu-west-1 --secret-id layer-prod/layer-key-pepper --query SecretString --output text)")"',
  );
  expect(body(run.content)).toBe(layerRelease(synthExample("prod").helm).values[0]);
});

test("secrets the chart reads from existing Secrets are named, not passed", async () => {
  const { handoffValuesFile, wiredValues } = await import("../../stacks/release-wiring");
  const { environmentWithValues } = await import("../helpers/synth");
  const env = environmentWithValues(
    `${MINIMAL_ENVIRONMENT}  license: true\n`,
    "vectorStore:\n  inboundAuth:\n    mode: keys\n    keys:\n      - {name: pipelines, scopes: [read, write], secretRef: {name: pipeline-key, key: token}}\nlicense:\n  existingSecret: hevlayer-license\n",
    "dev",
  );
  const content = handoffValuesFile(env, wiredValues(env), "test");
  expect(content).toContain('#   gateway key "pipelines": existing Secret pipeline-key, key token, in namespace layer');
  expect(content).toContain("#   license token: existing Secret hevlayer-license, key license, in namespace layer");
  expect(content).not.toContain("license.token:");
});

test("a local chart path is given relative to where the command runs", () => {
  const elsewhere = path.join(PROJECT_ROOT, "test/fixtures");
  const project = copyProject();
  try {
    fs.mkdirSync(path.join(project, "vendor/layer"), { recursive: true });
    fs.writeFileSync(path.join(project, "vendor/layer/Chart.yaml"), "apiVersion: v2\nname: layer\nversion: 0.1.0\n");
    fs.appendFileSync(path.join(project, "environments/dev.yaml"), "  chart:\n    path: vendor/layer\n");
    const run = buildValues(project, ["dev", "--outputs", path.join(FIXTURES, "dev.json")], elsewhere);
    expect(run.command.split("\n")[1]).toMatch(
      new RegExp(`^helm upgrade --install layer ${path.relative(elsewhere, path.join(project, "vendor/layer")).replace(/[.]/g, "\\.")} --namespace layer `),
    );
  } finally {
    fs.rmSync(project, { recursive: true, force: true });
  }
});

test("an OCI chart is given with its exact --version", async () => {
  const { helmInstallCommand } = await import("../../stacks/release-wiring");
  const env = environmentFromYaml(
    `${MINIMAL_ENVIRONMENT}  chart:\n    repository: oci://registry.example.com/hev\n    chart: layer\n    version: 1.4.2\n`,
    "dev",
  );
  expect(helmInstallCommand(env, "values.dev.yaml").split("\n")[1]).toMatch(
    /^helm upgrade --install layer oci:\/\/registry.example.com\/hev\/layer --version 1.4.2 --namespace layer /,
  );
});

test("`terraform output -json` (flat, {value}) works as well", () => {
  const raw = JSON.parse(fs.readFileSync(path.join(FIXTURES, "dev.json"), "utf8"))["layer-dev-aws"];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "layer-outputs-"));
  try {
    fs.writeFileSync(
      path.join(dir, "tf.json"),
      JSON.stringify(Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, { sensitive: false, type: "string", value: v }]))),
    );
    expect(body(buildValues(PROJECT_ROOT, ["dev", "--outputs", "tf.json"], dir).content)).toBe(body(dev().content));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

describe("clear errors", () => {
  const withOutputs = (outputs: unknown, env = "dev") => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "layer-outputs-"));
    try {
      fs.writeFileSync(path.join(dir, "o.json"), typeof outputs === "string" ? outputs : JSON.stringify(outputs));
      return errorOf(() => buildValues(PROJECT_ROOT, [env, "--outputs", "o.json"], dir)).message;
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  };
  const devOutputs = () => JSON.parse(fs.readFileSync(path.join(FIXTURES, "dev.json"), "utf8"));

  test("the outputs file is missing", () => {
    expect(errorOf(() => buildValues(PROJECT_ROOT, ["dev", "--outputs", "nope.json"], FIXTURES)).message).toBe(
      "nope.json: found no readable file; expected the JSON written by `npx cdktf output layer-dev-aws --outputs-file nope.json`",
    );
  });

  test("no outputs file given for an environment with an AWS stack", () => {
    expect(errorOf(() => buildValues(PROJECT_ROOT, ["dev"], FIXTURES)).message).toMatch(
      /--outputs: found nothing; expected the outputs of layer-dev-aws: run `npx cdktf output layer-dev-aws --outputs-file outputs.dev.json`/,
    );
  });

  test("the outputs are from another environment (stack name)", () => {
    expect(errorOf(() => buildValues(PROJECT_ROOT, ["dev", "--outputs", "prod.json"], FIXTURES)).message).toMatch(
      /prod.json: found outputs of layer-prod-aws; expected outputs of layer-dev-aws: this file is from another environment/,
    );
  });

  test("the outputs are from another environment (renamed stack, other region)", () => {
    const o = devOutputs();
    o["layer-dev-aws"].region = "eu-west-1";
    expect(withOutputs(o)).toMatch(
      /layer-dev-aws.region: found "eu-west-1"; expected us-east-1 \(region in environments\/dev.yaml\): these outputs are from another environment/,
    );
  });

  test("a role from another account", () => {
    const o = devOutputs();
    o["layer-dev-aws"].gateway_role_arn = "arn:aws:iam::999999999999:role/layer-dev-gateway";
    expect(withOutputs(o)).toMatch(/layer-dev-aws.gateway_role_arn: found .*999999999999.*; expected an IAM role ARN in account 123456789012/);
  });

  test.each(Object.values(RELEASE_OUTPUTS).map((o) => o.output))("the outputs lack %s", (output) => {
    const o = devOutputs();
    delete o["layer-dev-aws"][output];
    expect(withOutputs(o)).toMatch(
      new RegExp(`o.json: layer-dev-aws.${output}: found nothing \\(the field is missing\\); expected .*output ${output} of layer-dev-aws`),
    );
  });

  test("invalid JSON", () => {
    expect(withOutputs("{not json")).toMatch(/o.json: found invalid JSON/);
  });

  test("an outputs file for a helm-only environment", () => {
    expect(withOutputs(devOutputs(), "helm-only")).toMatch(/helm-only is helm-only \(no AWS stack\); its AWS facts come from externalAws/);
  });

  test("an unknown environment", () => {
    expect(errorOf(() => buildValues(PROJECT_ROOT, ["staging"], FIXTURES)).message).toMatch(/found "staging"; expected the name of a file in environments\//);
  });
});

describe("SEC-04: the canary holds for the hand-off", () => {
  let project: string;
  beforeAll(() => {
    project = copyProject();
  });
  afterAll(() => fs.rmSync(project, { recursive: true, force: true }));

  test("a key in the process environment never reaches the file (the real script, run like npm run values)", () => {
    const out = path.join(project, "values.dev.yaml");
    const run = spawnSync(path.join(PROJECT_ROOT, "node_modules/.bin/tsx"), ["scripts/values.ts", "dev", "--outputs", path.join(FIXTURES, "dev.json")], {
      cwd: project,
      env: { ...process.env, INIT_CWD: project, TF_VAR_vector_store_api_key: CANARY, TURBOPUFFER_API_KEY: CANARY, VECTOR_STORE_API_KEY_FILE: CANARY },
      encoding: "utf8",
    });
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    expect(run.stdout).toBe(`wrote values.dev.yaml\n\n${dev().command}\n`);
    const written = fs.readFileSync(out, "utf8");
    expect(written).toBe(dev().content);
    expect(written).not.toContain(CANARY);
    expect(run.stdout).not.toContain(CANARY);
  });

  test("a key in the values file is refused by the same validation, without echoing it", () => {
    fs.writeFileSync(path.join(project, "helm-values/dev.yaml"), `vectorStore:\n  credential:\n    apiKey: ${CANARY}\n`);
    const message = errorOf(() => buildValues(project, ["dev", "--outputs", "dev.json"], FIXTURES)).message;
    expect(message).toContain("helm-values/dev.yaml: vectorStore.credential.apiKey: found a secret literal (value not shown)");
    expect(message).not.toContain(CANARY);
  });
});

describe("the AWS stack declares the outputs the hand-off reads", () => {
  const aws = synthExample("dev").aws!;
  const roleOutputs = ["gateway_role_arn", "dashboard_role_arn", "operator_role_arn"];
  test.each(Object.values(RELEASE_OUTPUTS).map((o) => o.output))("%s", (output) => {
    expect(aws.output).toHaveProperty(output);
    expect(typeof aws.output![output].value).toBe("string");
  });
  test.each(roleOutputs)("%s is the ARN of a role the stack creates", (output) => {
    const ref = /^\$\{aws_iam_role\.([a-z0-9_]+)\.arn\}$/.exec(aws.output![output].value);
    expect(ref).not.toBeNull();
    expect(Object.keys(resourcesOfType(aws, "aws_iam_role"))).toContain(ref![1]);
  });
});

const helm = findHelm();
if (typeof helm !== "string") {
  announceHelmSkip(helm.skip);
  test.skip(`helm template of the hand-off skipped: ${helm.skip}`, () => undefined);
} else {
  test("helm takes the file and the printed --set-file as the install guide runs them", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "layer-handoff-"));
    try {
      const chart = writeValuesProbeChart(dir);
      fs.writeFileSync(path.join(dir, "values.dev.yaml"), dev().content);
      fs.writeFileSync(path.join(dir, "key"), "test-key-not-a-secret");
      fs.writeFileSync(path.join(dir, "password"), "pass,word");
      const command = dev()
        .command.split("\n")[1]
        .replace(/oci:\S+ --version \S+/, chart)
        .replace("helm upgrade --install", `${helm} template`);
      const run = spawnSync("sh", ["-c", command], {
        cwd: dir,
        env: { ...process.env, VECTOR_STORE_API_KEY_FILE: path.join(dir, "key"), DASHBOARD_PASSWORD_FILE: path.join(dir, "password") },
        encoding: "utf8",
      });
      expect(run.stderr).toBe("");
      const rendered: any = parse(run.stdout.replace(/^---\n# Source: .*\n/m, ""));
      expect(rendered.vectorStore.credential.apiKey).toBe("test-key-not-a-secret");
      // --set-file takes the file verbatim: a comma needs no escaping there.
      expect(rendered.dashboard.basicAuth.password).toBe("pass,word");
      expect(rendered.s3.bucket).toBe("layer-dev-data-123456789012-us-east-1");
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
}
