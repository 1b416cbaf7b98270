/**
 * Terraform tier for the Helm stacks: every environment's Helm stack (examples and users' own),
 * with helm/kubernetes resources stubbed as terraform_data (no provider
 * binaries offline), passes `terraform validate`, so every reference in the
 * releases' values, set blocks and depends_on resolves.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { environmentNames, synthExample } from "../helpers/synth";
import { stubKubernetesResources } from "../helpers/helm-stub";
import { TerraformWorkdir, announceSkip, findToolchain } from "../helpers/terraform";

const toolchain = findToolchain();
const environments = environmentNames();

if (typeof toolchain === "string") {
  announceSkip(toolchain);
  test.skip(`terraform tier skipped: ${toolchain}`, () => undefined);
} else {
  let result: { step: string; status: number; output: string };
  beforeAll(() => {
    // Variables without defaults (the ephemeral secret inputs) get a placeholder: validate needs every module input.
    const inputs = (name: string) =>
      Object.fromEntries(Object.keys(synthExample(name).helm.variable ?? {}).map((v) => [v, "validate-placeholder"]));
    const files: Record<string, unknown> = {
      "main.tf.json": { module: Object.fromEntries(environments.map((name) => [name, { source: `./${name}`, ...inputs(name) }])) },
    };
    for (const name of environments) files[`${name}/cdk.tf.json`] = stubKubernetesResources(synthExample(name).helm);
    const workdir = new TerraformWorkdir(toolchain, files);
    try {
      const init = workdir.run("init", "-input=false", "-backend=false");
      result = init.status !== 0 ? { step: "init", ...init } : { step: "validate", ...workdir.run("validate") };
    } finally {
      workdir.remove();
    }
  });

  test("every Helm stack validates with helm/kubernetes resources stubbed", () => {
    if (result.status !== 0) throw new Error(`terraform ${result.step} failed:\n${result.output}`);
    expect(result.output).toContain("The configuration is valid");
  });

  test("a release that references a missing release fails validation through the stub", () => {
    const broken: any = JSON.parse(JSON.stringify(synthExample("dev").helm));
    broken.resource = {
      ...(broken.resource ?? {}),
      helm_release: { orphan: { name: "orphan", chart: "x", values: ["${helm_release.missing.metadata.name}"] } },
    };
    const workdir = new TerraformWorkdir(toolchain, { "cdk.tf.json": stubKubernetesResources(broken) });
    try {
      expect(workdir.run("init", "-input=false", "-backend=false").status).toBe(0);
      const validate = workdir.run("validate");
      expect(validate.status).not.toBe(0);
      expect(validate.output).toMatch(/Reference to undeclared resource[\s\S]*terraform_data.helm_release__missing/);
    } finally {
      workdir.remove();
    }
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

  test("SEC-03/SEC-04: a key given as TF_VAR_ reaches neither the plan nor the state (stubbed dev Helm stack, applied offline)", () => {
    const CANARY = "tpuf_CANARY8f3a0c1d2e3f4a5b6c7d8e9f0a1b2c3d";
    // The cluster add-ons read two AWS facts (the VPC id, the EFS file system id): literals here.
    const offline = JSON.stringify(stubKubernetesResources(synthExample("dev").helm), (key, value) =>
      key !== "data" && typeof value === "string" ? value.replace(/\$\{data\.aws_[^}]+\}/g, "offline") : value,
    );
    const stub: any = JSON.parse(offline);
    // The cluster data source and the AWS provider only fed the (removed) helm/kubernetes providers;
    // without them the stack is terraform_data only and plans and applies offline in seconds.
    delete stub.data;
    delete stub.provider;
    delete stub.terraform.required_providers;
    expect(JSON.stringify(stub)).not.toMatch(/data\.aws_|aws_/);
    const files = { "cdk.tf.json": stub, "backend_override.tf.json": { terraform: { backend: { local: { path: "terraform.tfstate" } } } } };
    const workdir = new TerraformWorkdir(toolchain, files, { TF_VAR_vector_store_api_key: CANARY });
    try {
      for (const args of [
        ["init", "-input=false"],
        ["plan", "-input=false", "-lock=false", "-out=plan.bin"],
        ["apply", "-input=false", "-lock=false", "plan.bin"],
      ]) {
        const run = workdir.run(...args);
        if (run.status !== 0) throw new Error(`terraform ${args[0]} failed:\n${run.output}`);
        expect(run.output).not.toContain(CANARY);
      }
      const shown = workdir.run("show", "-json", "plan.bin");
      expect(shown.status).toBe(0);
      expect(JSON.parse(shown.output).resource_changes.length).toBeGreaterThan(0);
      // Every file terraform wrote, including each entry of the zipped plan, is free of the canary.
      const unzipped = path.join(workdir.dir, "plan-unzipped");
      expect(spawnSync("unzip", ["-q", "-o", path.join(workdir.dir, "plan.bin"), "-d", unzipped]).status).toBe(0);
      const leaks: string[] = [shown.output.includes(CANARY) ? "terraform show -json" : ""].filter(Boolean);
      const walk = (dir: string) => {
        for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
          const full = path.join(dir, entry.name);
          if (entry.isDirectory()) {
            if (entry.name !== ".terraform") walk(full);
          } else if (fs.readFileSync(full).includes(CANARY)) leaks.push(path.relative(workdir.dir, full));
        }
      };
      walk(workdir.dir);
      expect(fs.existsSync(path.join(workdir.dir, "terraform.tfstate"))).toBe(true);
      expect(leaks).toEqual([]);
    } finally {
      workdir.remove();
    }
  });
}
