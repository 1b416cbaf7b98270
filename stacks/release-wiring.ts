/**
 * What the `layer` release gets from AWS, without reading the AWS stack's
 * state: rebuilt from the naming rules the AWS stack uses, or taken from
 * `externalAws` in helm-only mode.
 */
import * as path from "node:path";
import type { Environment } from "../config/environment";
import type { WiredValues } from "../config/release-values";
import { buildReleaseValues, releaseSecrets, renderValuesYaml } from "../config/release-values";
import type { LayerChart, WriteOnlyValue } from "../constructs/layer-release";
import { dataBucketName, repositoryUrl, roleArn } from "./naming";

export function wiredValues(env: Environment): WiredValues {
  if (env.mode === "helm-only") {
    const ext = env.externalAws!;
    return {
      bucket: ext.bucket,
      gatewayRoleArn: ext.gatewayRoleArn,
      dashboardRoleArn: ext.dashboardRoleArn,
      operatorRoleArn: ext.operatorRoleArn,
      gatewayImageRepository: ext.gatewayImageRepository,
    };
  }
  return {
    bucket: dataBucketName(env),
    gatewayRoleArn: roleArn(env, "gateway"),
    dashboardRoleArn: roleArn(env, "dashboard"),
    operatorRoleArn: roleArn(env, "operator"),
    gatewayImageRepository: repositoryUrl(env, "gateway"),
  };
}

/** The release values the Helm stack passes, as YAML. */
export function releaseValuesYaml(env: Environment, wired: WiredValues = wiredValues(env)): string {
  return renderValuesYaml(buildReleaseValues(env, wired));
}

/** Terraform runs in `cdktf.out/stacks/<stack>/`: three levels below the project root. */
export const STACK_DIR_TO_PROJECT_ROOT = "../../..";

/** The chart as the helm provider sees it (a local path relative to the stack directory). */
export function chartForTerraform(env: Environment): LayerChart {
  const chart = env.release.chart;
  if ("path" in chart) return { path: path.posix.join(STACK_DIR_TO_PROJECT_ROOT, chart.path) };
  return chart;
}

/** Secrets the release takes as write-only values (none in secrets-manager mode). */
export function writeOnlyValues(env: Environment): WriteOnlyValue[] {
  if (env.release.secrets !== "write-only") return [];
  return releaseSecrets(env).map((s) => ({ valuesPath: s.valuesPath, variable: s.variable, description: s.description }));
}
