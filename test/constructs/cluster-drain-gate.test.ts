import { spawnSync } from "node:child_process";
import { ClusterDrainGate } from "../../constructs/cluster-drain-gate";
import { synthConstructs } from "../helpers/construct-stack";
import { onlyResource } from "../helpers/terraform-json";

/** Checks back to back (interval 0): `timeoutSeconds` becomes the number of checks. */
function gate(countCommand: string, timeoutSeconds = 2) {
  const stack = synthConstructs((scope) => new ClusterDrainGate(scope, "gate", { waitsFor: "things", countCommand, after: [], timeoutSeconds, intervalSeconds: 0 }));
  return onlyResource(stack, "terraform_data");
}

/** Runs the destroy-time provisioner the way terraform would, with `self.input` substituted. */
function runDestroy(resource: any): { status: number; output: string } {
  const provisioner = resource.provisioner[0]["local-exec"];
  expect(provisioner.when).toBe("destroy");
  const command = provisioner.command.replace(/\$\{self\.input\.(\w+)\}/g, (_: string, key: string) => String(resource.input[key]));
  const result = spawnSync(provisioner.interpreter[0], [...provisioner.interpreter.slice(1), command], { encoding: "utf8", timeout: 20000 });
  return { status: result.status ?? 1, output: `${result.stdout}${result.stderr}` };
}

test("only reads self.input in its destroy provisioner (Terraform allows nothing else there)", () => {
  const resource = gate("echo 0");
  const references = resource.provisioner[0]["local-exec"].command.match(/\$\{[^}]+\}/g);
  expect(references.every((r: string) => r.startsWith("${self.input."))).toBe(true);
});

test("destroy proceeds once nothing is left", () => {
  expect(runDestroy(gate("echo 0")).status).toBe(0);
});

test("destroy waits while resources remain, and proceeds when they are gone", () => {
  const file = `/tmp/layer-gate-${process.pid}`;
  // 2 left on the first check, then none.
  const resource = gate(`sh -c 'if [ -e ${file} ]; then echo 0; else touch ${file}; echo 2; fi'`, 5);
  const result = runDestroy(resource);
  spawnSync("rm", ["-f", file]);
  expect(result.status).toBe(0);
  expect(result.output).toContain("waiting for 2 things to be deleted");
});

test("destroy fails after the timeout when resources never go, and when the check itself fails", () => {
  const stuck = runDestroy(gate("echo 3", 2));
  expect(stuck.status).not.toBe(0);
  expect(stuck.output).toMatch(/things still present after 2 s/);
  expect(runDestroy(gate("false")).status).not.toBe(0);
});
