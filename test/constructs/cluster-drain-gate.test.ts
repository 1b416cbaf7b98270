import { spawnSync } from "node:child_process";
import { ClusterDrainGate } from "../../constructs/cluster-drain-gate";
import { synthConstructs } from "../helpers/construct-stack";
import { onlyResource } from "../helpers/terraform-json";

/** Checks back to back (interval 0): `timeoutSeconds` becomes the number of checks. */
function gate(countCommand: string | string[], timeoutSeconds = 2) {
  const countCommands = typeof countCommand === "string" ? [countCommand] : countCommand;
  const stack = synthConstructs(
    (scope) => new ClusterDrainGate(scope, "gate", { waitsFor: "things", countCommands, after: [], timeoutSeconds, intervalSeconds: 0 }),
  );
  return onlyResource(stack, "terraform_data");
}

/** Runs the destroy-time provisioner the way terraform would, with `self.input` substituted. */
function runDestroy(resource: any): { status: number; output: string } {
  const provisioner = resource.provisioner[0]["local-exec"];
  expect(provisioner.when).toBe("destroy");
  const command = provisioner.command.replace(/\$\{self\.input\.(\w+)(?:\[(\d+)\])?\}/g, (_: string, key: string, index?: string) =>
    String(index === undefined ? resource.input[key] : resource.input[key][Number(index)]),
  );
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

test("several commands: waits until their counts add up to 0", () => {
  const file = `/tmp/layer-gate-sum-${process.pid}`;
  // The first command reports 0 throughout; the second 1 on the first round, then 0.
  const resource = gate(["echo 0", `sh -c 'if [ -e ${file} ]; then echo 0; else touch ${file}; echo 1; fi'`], 5);
  const result = runDestroy(resource);
  spawnSync("rm", ["-f", file]);
  expect(result.status).toBe(0);
  expect(result.output).toContain("waiting for 1 things to be deleted");
  expect(runDestroy(gate(["echo 0", "echo 2"], 2)).output).toMatch(/waiting for 2 things[\s\S]*still present/);
});

test("an answer that is not a count fails the destroy instead of passing the gate", () => {
  const result = runDestroy(gate(["echo 0", "echo None"]));
  expect(result.status).not.toBe(0);
  expect(result.output).toContain("not a count: None");
});
