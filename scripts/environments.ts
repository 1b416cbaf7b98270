/**
 * Prints the environments as JSON for CI matrices:
 *   [{"name":"dev","mode":"fresh-cluster","protected":false,"awsStack":true,"accountId":"…","region":"…"}]
 * `--protected true|false` keeps only protected or unprotected ones.
 *
 * `--deploy-role <env> <role ARN>` exits 1 unless the role that is about to
 * deploy `<env>` gets cluster admin from that environment's file, so a
 * mismatch stops before any credentials are requested, not at a 401 halfway
 * through the Helm stack.
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

if (require.main === module) {
  try {
    const root = path.resolve(__dirname, "..");
    const check = process.argv.indexOf("--deploy-role");
    if (check >= 0) {
      const [name, roleArn] = process.argv.slice(check + 1);
      const env = loadEnvironments(root).find((e) => e.name === name);
      const problem = env ? deployRoleProblem(env, roleArn ?? "") : `environments/${name}.yaml: no such environment`;
      if (problem) throw new Error(problem);
      process.stdout.write(`${name}: the deploy role has cluster admin\n`);
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
