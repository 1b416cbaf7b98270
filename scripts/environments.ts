/**
 * Prints the environments as JSON for CI matrices:
 *   [{"name":"dev","mode":"fresh-cluster","protected":false,"awsStack":true,"accountId":"…","region":"…"}]
 * `--protected true|false` keeps only protected or unprotected ones.
 *
 * `--preflight <env> <deploy role ARN>` exits 1 when the deploy cannot reach
 * the cluster: the role gets no cluster admin from the environment file, the
 * API allowlist still holds a documentation placeholder, or no network path
 * to the API endpoint is configured. It runs before credentials are
 * requested, so the mistake shows up there, not as a 401 or a timeout
 * halfway through the Helm stack.
 */
import * as path from "node:path";
import { ConfigError } from "../config/errors";
import { Environment, clusterAdminPrincipals, createsAwsStack } from "../config/environment";
import { loadEnvironments } from "../config/load";

export interface EnvironmentSummary {
  readonly name: string;
  readonly mode: string;
  readonly protected: boolean;
  readonly awsStack: boolean;
  readonly accountId: string;
  readonly region: string;
}

export function environmentSummaries(projectRoot: string, protectedOnly?: boolean): EnvironmentSummary[] {
  return loadEnvironments(projectRoot)
    .filter((e) => protectedOnly === undefined || e.protected === protectedOnly)
    .map((e) => ({ name: e.name, mode: e.mode, protected: e.protected, awsStack: createsAwsStack(e), accountId: e.accountId, region: e.region }));
}

/** Why `roleArn` cannot deploy `env`'s Helm stack, or undefined when its file gives it cluster admin. */
export function deployRoleProblem(env: Environment, roleArn: string): string | undefined {
  if (!roleArn) return `${env.file}: no deploy role given (set the GitHub environment variable LAYER_DEPLOY_ROLE_ARN)`;
  if (env.mode === "helm-only") return undefined; // access to a cluster this project does not manage is the owner's to give
  const admins = clusterAdminPrincipals(env);
  if (admins.includes(roleArn)) return undefined;
  if (env.mode === "existing-cluster" && admins.length === 0) return undefined; // the platform team gave access outside this project
  return `${env.file}: the deploy role ${roleArn} gets no cluster admin access entry; set deployPrincipalArn to it (docs/ci.md#the-deploy-role-merges). Admins now: ${admins.join(", ") || "none"}`;
}

/** RFC 5737 documentation ranges: the examples' placeholders, never a real network. */
const DOCUMENTATION_RANGES = ["192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24"];

function ipv4(address: string): number {
  return address.split(".").reduce((n, octet) => n * 256 + Number(octet), 0);
}

/** Whether `cidr` lies inside one of the documentation ranges. */
export function isDocumentationCidr(cidr: string): boolean {
  const [address, bits] = cidr.split("/");
  return DOCUMENTATION_RANGES.some((range) => {
    const [base] = range.split("/");
    return Number(bits) >= 24 && Math.floor(ipv4(address) / 256) === Math.floor(ipv4(base) / 256);
  });
}

/** Everything that would stop `roleArn`'s deploy of `env` from reaching the Kubernetes API. */
export function deployPreflightProblems(env: Environment, roleArn: string): string[] {
  const problems: string[] = [];
  const role = deployRoleProblem(env, roleArn);
  if (role) problems.push(role);
  if (env.mode === "helm-only") return problems;
  const c = env.cluster;
  c.publicAccessCidrs.forEach((cidr, i) => {
    if (c.endpointPublicAccess && isDocumentationCidr(cidr)) {
      problems.push(
        `${env.file}: cluster.publicAccessCidrs[${i}] is ${cidr}, a documentation placeholder: replace it with the deploy runner's fixed egress (docs/ci.md#reaching-the-kubernetes-api)`,
      );
    }
  });
  if (env.mode === "fresh-cluster" && !c.endpointPublicAccess && c.privateAccessCidrs.length === 0) {
    problems.push(
      `${env.file}: the API endpoint is private and cluster.privateAccessCidrs is empty, so only the cluster's own nodes reach it: ` +
        "list the deploy runner's network in cluster.privateAccessCidrs, or turn on cluster.endpointPublicAccess with its fixed egress in cluster.publicAccessCidrs (docs/ci.md#reaching-the-kubernetes-api)",
    );
  }
  return problems;
}

if (require.main === module) {
  try {
    const root = path.resolve(__dirname, "..");
    const check = process.argv.indexOf("--preflight");
    if (check >= 0) {
      const [name, roleArn] = process.argv.slice(check + 1);
      const env = loadEnvironments(root).find((e) => e.name === name);
      const problems = env ? deployPreflightProblems(env, roleArn ?? "") : [`environments/${name}.yaml: no such environment`];
      if (problems.length > 0) throw new Error(problems.join("\n"));
      process.stdout.write(`${name}: the deploy role has cluster admin and a configured path to the API endpoint\n`);
    } else {
      const i = process.argv.indexOf("--protected");
      const only = i >= 0 ? process.argv[i + 1] === "true" : undefined;
      process.stdout.write(`${JSON.stringify(environmentSummaries(root, only))}\n`);
    }
  } catch (e) {
    process.stderr.write(`${e instanceof ConfigError ? `Invalid configuration:\n${e.message}` : e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  }
}
