/**
 * Terraform tier for the Helm stacks: every environment's Helm stack (examples and users' own),
 * with helm/kubernetes resources stubbed as terraform_data (no provider
 * binaries offline), passes `terraform validate`, so every reference in the
 * releases' values, set blocks and depends_on resolves.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { environmentNames, synthExample } from "../helpers/synth";
import { offlineHelmStack, stubKubernetesResources } from "../helpers/helm-stub";
import { TerraformWorkdir, announceSkip, findToolchain, leaksIn } from "../helpers/terraform";
import { mockEndpointEnvironment, providerForMock, startSecretsManagerMock } from "../helpers/secrets-manager-mock";

const toolchain = findToolchain();
const environments = environmentNames();

if (typeof toolchain === "string") {
  announceSkip(toolchain);
  test.skip(`terraform tier skipped: ${toolchain}`, () => undefined);
} else {
  /** Beside the environments, in the same root: dev's Helm stack with a release that references a missing one. */
  const PLANTED = "planted-missing-release";
  let result: { step: string; status: number; output: string };
  beforeAll(() => {
    // Variables without defaults (the ephemeral secret inputs) get a placeholder: validate needs every module input.
    const inputs = (stack: any) => Object.fromEntries(Object.keys(stack.variable ?? {}).map((v) => [v, "validate-placeholder"]));
    const broken: any = JSON.parse(JSON.stringify(synthExample("dev").helm));
    broken.resource = {
      ...(broken.resource ?? {}),
      helm_release: { orphan: { name: "orphan", chart: "x", values: ["${helm_release.missing.metadata.name}"] } },
    };
    const stacks: Record<string, any> = { ...Object.fromEntries(environments.map((name) => [name, synthExample(name).helm])), [PLANTED]: broken };
    const files: Record<string, unknown> = {
      "main.tf.json": { module: Object.fromEntries(Object.entries(stacks).map(([name, stack]) => [name, { source: `./${name}`, ...inputs(stack) }])) },
    };
    for (const [name, stack] of Object.entries(stacks)) files[`${name}/cdk.tf.json`] = stubKubernetesResources(stack);
    // One init and one validate for all: validate reports every module's errors, each with its file.
    const workdir = new TerraformWorkdir(toolchain, files);
    try {
      const init = workdir.run("init", "-input=false", "-backend=false");
      result = init.status !== 0 ? { step: "init", ...init } : { step: "validate", ...workdir.run("validate") };
    } finally {
      workdir.remove();
    }
  });

  /** `[error summary, file]` of every error terraform validate reported. */
  const errors = () => [...result.output.matchAll(/Error: ([^\n]*)\n[\s\S]*?\bon (\S+) line \d+/g)].map((m) => [m[1].trim(), m[2]]);

  test("every Helm stack validates with helm/kubernetes resources stubbed: the planted release is the only error", () => {
    expect(result.step).toBe("validate");
    expect([...new Set(errors().map((e) => e.join(" in ")))]).toEqual([`Reference to undeclared resource in ${PLANTED}/cdk.tf.json`]);
  });

  test("a release that references a missing release fails validation through the stub", () => {
    expect(result.status).not.toBe(0);
    expect(result.output).toMatch(/Reference to undeclared resource[\s\S]*terraform_data.helm_release__missing/);
  });

  test("the stub keeps references checkable: a dangling reference fails validation", () => {
    const stack: any = {
      resource: {
        helm_release: {
          pools: { name: "pools", chart: "./charts/worker-pools", depends_on: ["helm_release.karpenter"] },
          layer: { name: "layer", chart: "x", values: ["${helm_release.pools.metadata.name}"] },
        },
      },
    };
    stack.resource.terraform_data = { gate: { input: "x", depends_on: ["helm_release.pools"] } };
    const stubbed: any = stubKubernetesResources(stack);
    expect(stubbed.resource.terraform_data.helm_release__pools.depends_on).toEqual(["terraform_data.helm_release__karpenter"]);
    // A resource that is not stubbed (a drain gate) keeps depending on the whole stub, never on `.output`.
    expect(stubbed.resource.terraform_data.gate.depends_on).toEqual(["terraform_data.helm_release__pools"]);
    expect(stubbed.resource.terraform_data.helm_release__layer.input.values).toEqual(["${terraform_data.helm_release__pools.output.metadata.name}"]);
  });

  /**
   * Plans and applies; every output and every file written (the plan's
   * entries included) is free of the canaries. Returns apply's output.
   */
  function applyOffline(files: Record<string, unknown>, env: NodeJS.ProcessEnv, canaries: string[]): string {
    const workdir = new TerraformWorkdir(
      toolchain as any,
      { ...files, "backend_override.tf.json": { terraform: { backend: { local: { path: "terraform.tfstate" } } } } },
      env,
    );
    try {
      let output = "";
      for (const args of [
        ["init", "-input=false"],
        ["plan", "-input=false", "-lock=false", "-out=plan.bin"],
        ["apply", "-input=false", "-lock=false", "plan.bin"],
      ]) {
        const run = workdir.run(...args);
        if (run.status !== 0) throw new Error(`terraform ${args[0]} failed:\n${run.output}`);
        for (const canary of canaries) expect(run.output).not.toContain(canary);
        output = run.output;
      }
      expect(fs.existsSync(path.join(workdir.dir, "terraform.tfstate"))).toBe(true);
      expect(leaksIn(workdir.dir, canaries)).toEqual([]);
      return output;
    } finally {
      workdir.remove();
    }
  }

  test("SEC-03/SEC-04: no secret given as TF_VAR_ reaches the plan or the state, one canary per secret (dev, applied offline)", () => {
    const stub = offlineHelmStack(synthExample("dev").helm, { keepSecretReads: true });
    // The cluster data source and the AWS provider only fed the (removed) helm/kubernetes providers.
    delete stub.provider;
    delete stub.terraform.required_providers;
    expect(JSON.stringify(stub)).not.toMatch(/data\.aws_|aws_/);
    const variables = Object.keys(synthExample("dev").helm.variable ?? {}).sort();
    expect(variables).toEqual(["dashboard_password", "vector_store_api_key"]);
    const canaries = variables.map((v) => `tpuf_CANARY_${v}_8f3a0c1d2e3f4a5b`);
    const applied = applyOffline({ "cdk.tf.json": stub }, Object.fromEntries(variables.map((v, i) => [`TF_VAR_${v}`, canaries[i]])), canaries);
    expect(Number(/Apply complete! Resources: (\d+) added/.exec(applied)?.[1] ?? 0)).toBeGreaterThan(0);
  });

  test("the leak check can fail: a value passed as an ordinary (non-ephemeral) input is found in the plan and the state", () => {
    const CANARY = "tpuf_CANARY_leak_check_8f3a0c1d";
    const files = {
      "cdk.tf.json": { variable: { leaky: { type: "string", sensitive: true } }, resource: { terraform_data: { leak: { input: "${var.leaky}" } } } },
      "backend_override.tf.json": { terraform: { backend: { local: { path: "terraform.tfstate" } } } },
    };
    const workdir = new TerraformWorkdir(toolchain as any, files, { TF_VAR_leaky: CANARY });
    try {
      for (const args of [
        ["init", "-input=false"],
        ["plan", "-input=false", "-lock=false", "-out=plan.bin"],
        ["apply", "-input=false", "-lock=false", "plan.bin"],
      ]) {
        expect(workdir.run(...args).status).toBe(0);
      }
      expect(leaksIn(workdir.dir, [CANARY])).toEqual(expect.arrayContaining([`terraform.tfstate: ${CANARY}`, `plan-unzipped/tfplan: ${CANARY}`]));
    } finally {
      workdir.remove();
    }
  });

  test("SEC-03/SEC-04: secrets read from Secrets Manager reach neither plan nor state, one canary per secret (prod, against a local Secrets Manager)", () => {
    const stub = offlineHelmStack(synthExample("prod").helm, { keepSecretReads: true });
    const ephemeral = stub.ephemeral.aws_secretsmanager_secret_version;
    const ids = Object.values<any>(ephemeral).map((e) => e.secret_id);
    expect(ids.length).toBe(5);
    const secrets = Object.fromEntries(ids.map((id) => [id, `tpuf_CANARY_${id.replace(/\W/g, "_")}_8f3a0c1d`]));
    const server = startSecretsManagerMock(secrets);
    try {
      stub.provider = { aws: [providerForMock("eu-west-1")] };
      stub.terraform.required_providers = { aws: stub.terraform.required_providers.aws };
      applyOffline({ "cdk.tf.json": stub }, mockEndpointEnvironment(server), Object.values(secrets));
      // Terraform read every secret: the values existed and still never landed.
      expect(server.requests()).toEqual(expect.arrayContaining(ids.map((id) => `GetSecretValue ${id}`)));
    } finally {
      server.stop();
    }
  });
}
