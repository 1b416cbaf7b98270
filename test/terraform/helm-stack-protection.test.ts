/**
 * Terraform itself refuses to destroy a protected environment's Helm stack:
 * the prod Helm stack (helm/kubernetes resources stubbed as terraform_data,
 * which keep `prevent_destroy`) is applied offline into a local state, then
 * `terraform plan -destroy` must fail naming a release; dev's must succeed.
 */
import { StackJson, synthExample } from "../helpers/synth";
import { offlineHelmStack } from "../helpers/helm-stub";
import { TerraformWorkdir, announceSkip, findToolchain } from "../helpers/terraform";

const toolchain = findToolchain();

/** The stubbed Helm stack without AWS reads (they only fed the removed providers), applied offline. */
function offlineStub(stack: StackJson): any {
  const stub = offlineHelmStack(stack);
  delete stub.provider;
  delete stub.terraform.required_providers;
  return stub;
}

function destroyPlan(name: string): { apply: string; destroy: { status: number; output: string } } {
  const { helm } = synthExample(name);
  const inputs = Object.fromEntries(Object.keys(helm.variable ?? {}).map((v) => [`TF_VAR_${v}`, "placeholder"]));
  const files = { "cdk.tf.json": offlineStub(helm), "backend_override.tf.json": { terraform: { backend: { local: { path: "terraform.tfstate" } } } } };
  const workdir = new TerraformWorkdir(toolchain as Exclude<typeof toolchain, string>, files, inputs);
  try {
    for (const args of [
      ["init", "-input=false"],
      ["apply", "-input=false", "-lock=false", "-auto-approve"],
    ]) {
      const run = workdir.run(...args);
      if (run.status !== 0) throw new Error(`terraform ${args[0]} of ${name} failed:\n${run.output}`);
    }
    return { apply: "ok", destroy: workdir.run("plan", "-destroy", "-input=false", "-lock=false") };
  } finally {
    workdir.remove();
  }
}

if (typeof toolchain === "string") {
  announceSkip(toolchain);
  test.skip(`terraform tier skipped: ${toolchain}`, () => undefined);
} else {
  test("prod (protected): terraform refuses to plan the Helm stack's destroy", () => {
    const { destroy } = destroyPlan("prod");
    expect(destroy.status).not.toBe(0);
    expect(destroy.output).toMatch(/Instance cannot be destroyed[\s\S]*terraform_data\.helm_release__layer_release/);
  });

  test("dev (unprotected): the same destroy plans", () => {
    const { destroy } = destroyPlan("dev");
    expect(destroy.output).toMatch(/Plan: 0 to add, 0 to change, \d+ to destroy/);
    expect(destroy.status).toBe(0);
  });
}
