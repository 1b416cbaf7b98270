/**
 * The plan's changes come from terraform's machine-readable output, however
 * many there are, and a failing step is reported with its status and
 * terraform's own diagnostics.
 */
import { TerraformWorkdir, announceSkip, findToolchain } from "../helpers/terraform";

const toolchain = findToolchain();

if (typeof toolchain === "string") {
  announceSkip(toolchain);
  test.skip(`terraform tier skipped: ${toolchain}`, () => undefined);
} else {
  test("every planned change is read from the machine-readable output, however many there are", () => {
    // terraform_data is built into terraform: no provider, the plan is only long.
    const count = 1500;
    const names = Array.from({ length: count }, (_, i) => `resource_with_a_long_enough_name_to_fill_the_output_${String(i).padStart(5, "0")}`);
    const workdir = new TerraformWorkdir(toolchain, {
      "main.tf.json": { resource: { terraform_data: Object.fromEntries(names.map((n) => [n, { input: n }])) } },
    });
    try {
      const result = workdir.planOffline();
      expect({ step: result.step, status: result.status }).toEqual({ step: "plan", status: 0 });
      expect(result.changes.map((c) => c.address).sort()).toEqual(names.map((n) => `terraform_data.${n}`).sort());
      expect(result.changes.every((c) => c.action === "create" && c.module === "")).toBe(true);
    } finally {
      workdir.remove();
    }
  });

  test("a step that fails stops the run with its name, its status and terraform's diagnostics", () => {
    const workdir = new TerraformWorkdir(toolchain, { "main.tf.json": { output: { broken: { value: "${terraform_data.missing.id}" } } } });
    try {
      const result = workdir.planOffline();
      expect({ step: result.step, failed: result.status !== 0, changes: result.changes }).toEqual({ step: "plan", failed: true, changes: [] });
      expect(result.output).toMatch(
        /^Error: Reference to undeclared resource\n\n {2}on main\.tf\.json line \d+, in output\.broken:\n {2}\d+: .*terraform_data\.missing\.id.*\n\nA managed resource "terraform_data" "missing" has not been declared/,
      );
    } finally {
      workdir.remove();
    }
  });
}
