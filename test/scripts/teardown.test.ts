import type { Environment } from "../../config/environment";
import { CommandRunner, leftoverChecks, parseArguments, teardown } from "../../scripts/teardown";
import { synthExample } from "../helpers/synth";

interface Call {
  readonly command: string;
  readonly args: string[];
  readonly env?: Record<string, string>;
}

/** Records the teardown's synth among the calls, as `synth <env>`. */
const recordingSynth = (calls: Call[]) => (env: Environment) => void calls.push({ command: "synth", args: [env.name] });

/** A runner whose AWS checks report `counts()` (per check, in order) and records every call. */
function fakeRunner(counts: (round: number) => number[], destroyStatus = 0): { run: CommandRunner; calls: Call[]; synthesize: (env: Environment) => void } {
  const calls: Call[] = [];
  let check = 0;
  const run: CommandRunner = (command, args, env) => {
    calls.push({ command, args, env });
    if (command === "aws") {
      const checks = leftoverChecks(synthExample("dev").env).length;
      const round = Math.floor(check / checks);
      const value = counts(round)[check % checks];
      check++;
      return { status: 0, stdout: `${value}\n`, stderr: "" };
    }
    return { status: destroyStatus, stdout: "", stderr: "" };
  };
  return { run, calls, synthesize: recordingSynth(calls) };
}

const destroys = (calls: Call[]) => calls.filter((c) => c.command === "npx").map((c) => c.args[2]);
const noSleep = async () => undefined;

test("resources present, then gone: destroys the Helm stack, waits, then the AWS stack", async () => {
  const lines: string[] = [];
  const { run, calls, synthesize } = fakeRunner((round) => (round === 0 ? [1, 3, 1, 2, 0] : [0, 0, 0, 0, 0]));
  const code = await teardown({ env: synthExample("dev").env, run, synthesize, sleep: noSleep, log: (l) => lines.push(l) });
  expect(code).toBe(0);
  expect(destroys(calls)).toEqual(["layer-dev-helm", "layer-dev-aws"]);
  // The AWS stack goes only after a round where everything was gone.
  const awsDestroy = calls.findIndex((c) => c.args[2] === "layer-dev-aws");
  expect(calls.slice(0, awsDestroy).filter((c) => c.command === "aws")).toHaveLength(10);
  expect(lines.join("\n")).toMatch(/waiting for 1 load balancers .*; 3 target groups .*; 1 security groups .*; 2 instances launched by Karpenter/);
  // One synth, before anything is destroyed; both destroys use it.
  expect(calls.filter((c) => c.command === "synth")).toEqual([{ command: "synth", args: ["dev"] }]);
  expect(calls[0].command).toBe("synth");
  expect(calls[1].env).toEqual({ LAYER_ENV: "dev" });
  // test/scripts/teardown-cli.test.ts runs these exact commands against the real cdktf CLI.
  expect(calls[1].args).toEqual(["cdktf", "destroy", "layer-dev-helm", "--auto-approve", "--skip-provider-lock", "--skip-synth"]);
  expect(calls.at(-1)!.args).toEqual([
    "cdktf",
    "destroy",
    "layer-dev-aws",
    "--auto-approve",
    "--skip-provider-lock",
    "--skip-synth",
    "--ignore-missing-stack-dependencies",
  ]);
});

test("resources never gone: times out non-zero and never destroys the AWS stack", async () => {
  const lines: string[] = [];
  const slept: number[] = [];
  const { run, calls, synthesize } = fakeRunner(() => [1, 0, 0, 0, 0]);
  const code = await teardown({
    env: synthExample("dev").env,
    run,
    synthesize,
    timeoutSeconds: 60,
    intervalSeconds: 15,
    sleep: async (s) => void slept.push(s),
    log: (l) => lines.push(l),
  });
  expect(code).not.toBe(0);
  expect(destroys(calls)).toEqual(["layer-dev-helm"]);
  expect(slept).toEqual([15, 15, 15, 15]);
  expect(lines.join("\n")).toMatch(/still present after 60 s: 1 load balancers/);
});

test("a failing AWS check stops the teardown before the AWS stack", async () => {
  const calls: Call[] = [];
  const run: CommandRunner = (command, args) => {
    calls.push({ command, args });
    return command === "aws" ? { status: 255, stdout: "", stderr: "ExpiredToken" } : { status: 0, stdout: "", stderr: "" };
  };
  expect(await teardown({ env: synthExample("dev").env, run, synthesize: recordingSynth(calls), sleep: noSleep })).toBe(1);
  expect(destroys(calls)).toEqual(["layer-dev-helm"]);
});

test("a failed Helm stack destroy stops before waiting", async () => {
  const { run, calls, synthesize } = fakeRunner(() => [0, 0, 0, 0, 0], 1);
  expect(await teardown({ env: synthExample("dev").env, run, synthesize, sleep: noSleep })).toBe(1);
  expect(calls.filter((c) => c.command === "aws")).toEqual([]);
});

test("a failed synth stops the teardown before any destroy, saying so", async () => {
  const lines: string[] = [];
  const { run, calls } = fakeRunner(() => [0, 0, 0, 0, 0]);
  const synthesize = () => {
    throw new Error("unreadable chart");
  };
  expect(await teardown({ env: synthExample("dev").env, run, synthesize, sleep: noSleep, log: (l) => lines.push(l) })).toBe(1);
  expect(calls).toEqual([]);
  expect(lines.join("\n")).toContain("synth of dev failed, nothing was destroyed: unreadable chart");
});

test("protected environments are refused, with or without --allow-protected, until the file says protected: false", async () => {
  const prod = synthExample("prod").env;
  for (const allowProtected of [false, true]) {
    const lines: string[] = [];
    const { run, calls, synthesize } = fakeRunner(() => [0, 0, 0, 0, 0]);
    expect(await teardown({ env: prod, run, synthesize, sleep: noSleep, allowProtected, log: (l) => lines.push(l) })).toBe(2);
    // Not even a synth.
    expect(calls).toEqual([]);
    expect(lines.join("\n")).toMatch(
      /environments\/prod.yaml says protected: true[\s\S]*prevent_destroy[\s\S]*set `protected: false` in environments\/prod.yaml/,
    );
    if (allowProtected) expect(lines.join("\n")).toMatch(/--allow-protected does not override protected: true/);
  }
  const unprotected = fakeRunner(() => [0, 0, 0, 0, 0]);
  expect(
    await teardown({ env: { ...prod, protected: false }, run: unprotected.run, synthesize: unprotected.synthesize, sleep: noSleep, allowProtected: true }),
  ).toBe(0);
  expect(destroys(unprotected.calls)).toEqual(["layer-prod-helm", "layer-prod-aws"]);
});

test("helm-only environments only have a Helm stack", async () => {
  const { run, calls, synthesize } = fakeRunner(() => [0, 0, 0, 0, 0]);
  expect(await teardown({ env: synthExample("helm-only").env, run, synthesize, sleep: noSleep })).toBe(0);
  expect(destroys(calls)).toEqual(["layer-helm-only-helm"]);
});

test("the checks look for this cluster's resources in the environment's region", () => {
  const checks = leftoverChecks(synthExample("prod").env).map((c) => c.args.join(" "));
  for (const c of checks) expect(c).toContain("--region eu-west-1");
  expect(checks[0]).toContain("Key=elbv2.k8s.aws/cluster,Values=layer-prod");
  expect(checks[1]).toMatch(/elasticloadbalancing:targetgroup .*Key=elbv2.k8s.aws\/cluster,Values=layer-prod/);
  expect(checks[2]).toContain("ec2 describe-security-groups");
  expect(checks[3]).toContain("Name=tag:kubernetes.io/cluster/layer-prod,Values=owned");
  expect(checks[4]).toContain("Name=status,Values=available");
});

test("arguments", () => {
  expect(parseArguments(["dev"])).toEqual({ name: "dev", allowProtected: false, timeoutSeconds: undefined });
  expect(parseArguments(["prod", "--allow-protected", "--timeout", "600"])).toEqual({ name: "prod", allowProtected: true, timeoutSeconds: 600 });
  expect(parseArguments([])).toMatch(/usage/);
  expect(parseArguments(["--help"])).toEqual({ help: true });
  expect(parseArguments(["dev", "--force"])).toMatch(/unknown option --force/);
  expect(parseArguments(["dev", "--timeout", "soon"])).toMatch(/number of seconds/);
});
