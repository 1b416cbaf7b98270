/**
 * Tears an environment down without stranding AWS resources that block VPC
 * deletion (load balancers, their security groups, ENIs, Karpenter instances):
 *
 *   npm run teardown -- <env> [--allow-protected] [--timeout <seconds>]
 *
 * 1. synthesizes that environment's two stacks once, into cdktf.out,
 * 2. destroys `layer-<env>-helm` (product release, then pools, then controllers),
 * 3. waits until AWS shows no load balancer, target group, security group,
 *    detached ENI or Karpenter instance of the cluster,
 * 4. destroys `layer-<env>-aws`.
 * Both destroys run on that one synth.
 * See docs/teardown.md.
 */
import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { loadEnvironments } from "../config/load";
import { ConfigError } from "../config/errors";
import type { Environment } from "../config/environment";
import { awsStackName, createsAwsStack, helmStackName } from "../config/environment";

export interface CommandResult {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a command; injected so tests never call AWS or terraform. */
export type CommandRunner = (command: string, args: string[], env?: Record<string, string>) => CommandResult;

export interface TeardownOptions {
  readonly env: Environment;
  readonly run: CommandRunner;
  /** Writes the environment's stacks to cdktf.out, which both destroys use; injected so tests write nothing. */
  readonly synthesize: (env: Environment) => void | Promise<void>;
  /**
   * Accepted for compatibility; never overrides `protected: true` (both
   * stacks carry prevent_destroy until the file says `protected: false`).
   * @default false
   */
  readonly allowProtected?: boolean;
  /** @default 1200 */
  readonly timeoutSeconds?: number;
  /** @default 15 */
  readonly intervalSeconds?: number;
  readonly sleep?: (seconds: number) => Promise<void>;
  readonly log?: (line: string) => void;
}

export interface LeftoverCheck {
  readonly what: string;
  readonly args: string[];
}

/** AWS CLI queries that each print how many resources of the cluster are left. */
export function leftoverChecks(env: Environment): LeftoverCheck[] {
  const c = env.clusterName;
  const common = ["--region", env.region, "--output", "text"];
  return [
    {
      what: "load balancers created by the AWS Load Balancer Controller",
      args: [
        "resourcegroupstaggingapi",
        "get-resources",
        ...common,
        "--resource-type-filters",
        "elasticloadbalancing:loadbalancer",
        "--tag-filters",
        `Key=elbv2.k8s.aws/cluster,Values=${c}`,
        "--query",
        "length(ResourceTagMappingList)",
      ],
    },
    {
      what: "target groups created by the AWS Load Balancer Controller",
      args: [
        "resourcegroupstaggingapi",
        "get-resources",
        ...common,
        "--resource-type-filters",
        "elasticloadbalancing:targetgroup",
        "--tag-filters",
        `Key=elbv2.k8s.aws/cluster,Values=${c}`,
        "--query",
        "length(ResourceTagMappingList)",
      ],
    },
    {
      what: "security groups created by the AWS Load Balancer Controller",
      args: ["ec2", "describe-security-groups", ...common, "--filters", `Name=tag:elbv2.k8s.aws/cluster,Values=${c}`, "--query", "length(SecurityGroups)"],
    },
    {
      what: "instances launched by Karpenter",
      args: [
        "ec2",
        "describe-instances",
        ...common,
        "--filters",
        "Name=tag-key,Values=karpenter.sh/nodepool",
        `Name=tag:kubernetes.io/cluster/${c},Values=owned`,
        "Name=instance-state-name,Values=pending,running,stopping,stopped,shutting-down",
        "--query",
        "length(Reservations[].Instances[])",
      ],
    },
    {
      what: "detached network interfaces left by the VPC CNI",
      args: [
        "ec2",
        "describe-network-interfaces",
        ...common,
        "--filters",
        `Name=tag:cluster.k8s.amazonaws.com/name,Values=${c}`,
        "Name=status,Values=available",
        "--query",
        "length(NetworkInterfaces)",
      ],
    },
  ];
}

export interface DestroyCommand {
  readonly command: string;
  readonly args: string[];
  readonly env: Record<string, string>;
}

/**
 * The exact `cdktf destroy` the teardown runs for one stack of the environment.
 *
 * cdktf 0.21 refuses to destroy `layer-<env>-aws` alone while
 * `layer-<env>-helm` depends on it ("dependant stacks are not included"); by
 * the time the AWS stack goes, the Helm stack is already destroyed, so the
 * check is skipped with `--ignore-missing-stack-dependencies`. A destroy needs
 * no provider hashes for other platforms, so cdktf's `terraform providers
 * lock` (which contacts the registry even when providers come from a mirror)
 * is skipped too. The teardown has synthesized the environment into
 * cdktf.out beforehand (`--skip-synth`), so both destroys act on the same
 * synth and the app is not started twice.
 */
export function destroyCommand(env: Environment, stack: "aws" | "helm"): DestroyCommand {
  const args = ["cdktf", "destroy", stack === "aws" ? awsStackName(env) : helmStackName(env), "--auto-approve", "--skip-provider-lock", "--skip-synth"];
  if (stack === "aws") args.push("--ignore-missing-stack-dependencies");
  return { command: "npx", args, env: { LAYER_ENV: env.name } };
}

function cdktfDestroy(options: TeardownOptions, stack: "aws" | "helm"): boolean {
  const log = options.log ?? (() => undefined);
  const { command, args, env } = destroyCommand(options.env, stack);
  const name = args[2];
  log(`destroying ${name}`);
  const result = options.run(command, args, env);
  if (result.status !== 0) log(`cdktf destroy ${name} failed (exit ${result.status})${result.stderr ? `:\n${result.stderr}` : ""}`);
  return result.status === 0;
}

/** Polls every check until all report 0; false on timeout or a failing check. */
async function waitForLeftovers(options: TeardownOptions): Promise<boolean> {
  const log = options.log ?? (() => undefined);
  const sleep = options.sleep ?? ((s: number) => new Promise<void>((resolve) => setTimeout(resolve, s * 1000)));
  const timeout = options.timeoutSeconds ?? 1200;
  const interval = options.intervalSeconds ?? 15;
  const checks = leftoverChecks(options.env);
  for (let waited = 0; ; waited += interval) {
    const remaining: string[] = [];
    for (const check of checks) {
      const result = options.run("aws", check.args);
      const count = Number.parseInt(result.stdout.trim(), 10);
      if (result.status !== 0 || Number.isNaN(count)) {
        log(`could not count ${check.what}: aws exited ${result.status}${result.stderr ? `: ${result.stderr.trim()}` : ""}`);
        return false;
      }
      if (count > 0) remaining.push(`${count} ${check.what}`);
    }
    if (remaining.length === 0) return true;
    if (waited >= timeout) {
      log(`still present after ${timeout} s: ${remaining.join("; ")}`);
      log("delete them (or fix what keeps them), then run the teardown again; the AWS stack was not destroyed");
      return false;
    }
    log(`waiting for ${remaining.join("; ")}`);
    await sleep(interval);
  }
}

/** Returns the process exit code. */
export async function teardown(options: TeardownOptions): Promise<number> {
  const { env } = options;
  const log = options.log ?? (() => undefined);
  if (env.protected) {
    // --allow-protected never overrides the file: both stacks carry prevent_destroy until the file says otherwise.
    log(
      [
        `${env.file} says protected: true: its bucket, KMS keys, ECR repositories, EFS file system and cluster, and the`,
        "Helm stack's releases, carry prevent_destroy, and destroying it deletes data that cannot be recovered. Nothing was destroyed.",
        `To tear it down on purpose: set \`protected: false\` in ${env.file}, review the plan (npx cdktf diff 'layer-${env.name}-*'),`,
        `then run: npm run teardown -- ${env.name}`,
        ...(options.allowProtected ? ["--allow-protected does not override protected: true in the environment file."] : []),
      ].join("\n"),
    );
    return 2;
  }
  log(`synthesizing ${env.name} into cdktf.out`);
  try {
    await options.synthesize(env);
  } catch (e) {
    log(`synth of ${env.name} failed, nothing was destroyed: ${e instanceof Error ? e.message : String(e)}`);
    return 1;
  }
  if (!cdktfDestroy(options, "helm")) return 1;
  if (!createsAwsStack(env)) {
    log(`${env.name} is helm-only: there is no AWS stack to destroy`);
    return 0;
  }
  log(`waiting until cluster ${env.clusterName} has no load balancers, target groups, security groups, detached ENIs or Karpenter instances left`);
  if (!(await waitForLeftovers(options))) return 1;
  if (!cdktfDestroy(options, "aws")) return 1;
  log(`${env.name} is torn down`);
  return 0;
}

const realRunner: CommandRunner = (command, args, extraEnv) => {
  const interactive = command !== "aws";
  const result = spawnSync(command, args, {
    // cdktf.json and the local state files are in the project root.
    cwd: path.resolve(__dirname, ".."),
    encoding: "utf8",
    env: { ...process.env, ...extraEnv },
    stdio: interactive ? ["inherit", "inherit", "pipe"] : ["ignore", "pipe", "pipe"],
  });
  if (interactive && result.stderr) process.stderr.write(result.stderr);
  return { status: result.status ?? 1, stdout: result.stdout ?? "", stderr: result.stderr ?? "" };
};

export const USAGE = [
  "usage: npm run teardown -- <environment> [--allow-protected] [--timeout <seconds>]",
  "  destroys layer-<env>-helm, waits until AWS shows no load balancer, target group, security group,",
  "  detached ENI or Karpenter instance of the cluster, then destroys layer-<env>-aws (docs/teardown.md)",
  "  --allow-protected   accepted, but never overrides protected: true: set protected: false in the file first",
  "  --timeout <s>       how long to wait for AWS to clean up (default 1200)",
].join("\n");

export function parseArguments(argv: string[]): { name: string; allowProtected: boolean; timeoutSeconds?: number } | { help: true } | string {
  if (argv.includes("--help") || argv.includes("-h")) return { help: true };
  const positional = argv.filter((a, i) => !a.startsWith("--") && argv[i - 1] !== "--timeout");
  if (positional.length !== 1) return USAGE;
  const timeoutAt = argv.indexOf("--timeout");
  const timeoutSeconds = timeoutAt >= 0 ? Number(argv[timeoutAt + 1]) : undefined;
  if (timeoutSeconds !== undefined && !(timeoutSeconds > 0)) return "--timeout needs a number of seconds";
  const unknown = argv.filter((a) => a.startsWith("--") && a !== "--allow-protected" && a !== "--timeout");
  if (unknown.length > 0) return `unknown option ${unknown[0]}`;
  return { name: positional[0], allowProtected: argv.includes("--allow-protected"), timeoutSeconds };
}

async function main(): Promise<number> {
  const args = parseArguments(process.argv.slice(2));
  if (typeof args === "string") {
    process.stderr.write(`${args}\n`);
    return 64;
  }
  if ("help" in args) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  let env: Environment;
  try {
    env = loadEnvironments(path.resolve(__dirname, ".."), args.name)[0];
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`${e.message}\n`);
      return 1;
    }
    throw e;
  }
  const projectRoot = path.resolve(__dirname, "..");
  return teardown({
    env,
    run: realRunner,
    // Loaded only once the teardown goes ahead: a refused protected environment never loads the stacks.
    synthesize: async (e) => void (await import("./lib/synth")).synthesizeEnvironment(projectRoot, e),
    allowProtected: args.allowProtected,
    timeoutSeconds: args.timeoutSeconds,
    log: (l) => process.stderr.write(`${l}\n`),
  });
}

if (require.main === module) {
  main().then((code) => process.exit(code));
}
