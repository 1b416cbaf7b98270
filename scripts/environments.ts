/**
 * Prints the environments as JSON for CI matrices:
 *   [{"name":"dev","mode":"fresh-cluster","protected":false,"awsStack":true,"accountId":"…","region":"…"}]
 * `--protected true|false` keeps only protected or unprotected ones.
 */
import * as path from "node:path";
import { ConfigError } from "../config/errors";
import { createsAwsStack } from "../config/environment";
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

if (require.main === module) {
  try {
    const i = process.argv.indexOf("--protected");
    const only = i >= 0 ? process.argv[i + 1] === "true" : undefined;
    process.stdout.write(`${JSON.stringify(environmentSummaries(path.resolve(__dirname, ".."), only))}\n`);
  } catch (e) {
    process.stderr.write(`${e instanceof ConfigError ? `Invalid configuration:\n${e.message}` : String(e)}\n`);
    process.exitCode = 1;
  }
}
