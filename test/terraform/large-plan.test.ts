/**
 * A plan of several environments is megabytes of JSON: the terraform tier
 * reads `terraform show -json` through a file, never a pipe buffer that would
 * cut it, and a failing step is reported with its status.
 */
import { TerraformWorkdir, announceSkip, findToolchain } from "../helpers/terraform";

const toolchain = findToolchain();

if (typeof toolchain === "string") {
  announceSkip(toolchain);
  test.skip(`terraform tier skipped: ${toolchain}`, () => undefined);
} else {
  test("a plan larger than 1 MiB is read whole", () => {
    // terraform_data is built into terraform: no provider, the plan is only big.
    const payload = "x".repeat(1.25 * 1024 * 1024);
    const workdir = new TerraformWorkdir(toolchain, { "main.tf.json": { resource: { terraform_data: { big: { input: payload } } } } });
    try {
      const result = workdir.planOffline();
      expect({ step: result.step, status: result.status }).toEqual({ step: "show", status: 0 });
      expect(result.output.length).toBeGreaterThan(1024 * 1024);
      const plan = JSON.parse(result.output);
      expect(plan.resource_changes.map((c: any) => [c.address, c.change.after.input.length])).toEqual([["terraform_data.big", payload.length]]);
    } finally {
      workdir.remove();
    }
  });

  test("a step that fails stops the run with its name and status", () => {
    const workdir = new TerraformWorkdir(toolchain, { "main.tf.json": { output: { broken: { value: "${terraform_data.missing.id}" } } } });
    try {
      const result = workdir.planOffline();
      expect({ step: result.step, failed: result.status !== 0 }).toEqual({ step: "plan", failed: true });
      expect(result.output).toMatch(/Reference to undeclared resource/);
      const shown = workdir.showJson("no-such-plan.bin");
      expect("step" in shown && shown.step === "show" && shown.status !== 0).toBe(true);
    } finally {
      workdir.remove();
    }
  });
}
