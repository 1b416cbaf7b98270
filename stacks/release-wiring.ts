/**
 * What the `layer` release gets from AWS, without reading the AWS stack's
 * state: rebuilt from the naming rules the AWS stack uses, or taken from
 * `externalAws` in helm-only mode.
 */
import * as path from "node:path";
import type { Environment } from "../config/environment";
import type { WiredValues } from "../config/release-values";
import { RELEASE_NAME, buildReleaseValues, releaseSecrets, renderValuesYaml } from "../config/release-values";
import { awsStackName } from "../config/environment";
import { ConfigError, describeValue } from "../config/errors";
import { managedCertificate } from "../config/rules";
import type { LayerChart, WriteOnlyValue } from "../constructs/layer-release";
import { dataBucketName, repositoryUrl, roleArn } from "../config/naming";

export function wiredValues(env: Environment): WiredValues {
  if (env.mode === "helm-only") {
    const ext = env.externalAws!;
    return {
      bucket: ext.bucket,
      gatewayRoleArn: ext.gatewayRoleArn,
      dashboardRoleArn: ext.dashboardRoleArn,
      operatorRoleArn: ext.operatorRoleArn,
      gatewayImageRepository: ext.gatewayImageRepository,
      gatewayCertificateArn: env.dns.certificateArn,
    };
  }
  return {
    bucket: dataBucketName(env),
    gatewayRoleArn: roleArn(env, "gateway"),
    dashboardRoleArn: roleArn(env, "dashboard"),
    operatorRoleArn: roleArn(env, "operator"),
    gatewayImageRepository: repositoryUrl(env, "gateway"),
    gatewayCertificateArn: env.dns.certificateArn,
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

/**
 * Outputs of `layer-<env>-aws` that the release needs, by output name. The
 * IRSA role outputs are declared with the roles (network/cluster work).
 */
export const RELEASE_OUTPUTS = {
  bucket: { output: "data_bucket_name", what: "the data bucket name" },
  gatewayRoleArn: { output: "gateway_role_arn", what: "the gateway IRSA role ARN" },
  dashboardRoleArn: { output: "dashboard_role_arn", what: "the dashboard cost-read role ARN" },
  operatorRoleArn: { output: "operator_role_arn", what: "the operator role ARN" },
  gatewayImageRepository: { output: "gateway_repository_url", what: "the gateway ECR repository URL" },
  region: { output: "region", what: "the AWS region" },
} as const;

/** Read only when the AWS stack manages public DNS (dns.managePublicDns). */
export const CERTIFICATE_OUTPUT = { output: "gateway_certificate_arn", what: "the gateway's ACM certificate ARN (dns.managePublicDns)" } as const;

/**
 * Wired values from a deployed AWS stack's outputs: the JSON written by
 * `cdktf output layer-<env>-aws --outputs-file <file>` (`{stack: {name: value}}`)
 * or by `terraform output -json` (`{name: {value}}`). Checks the outputs
 * belong to this environment (stack name, region, account, bucket name).
 */
export function wiredValuesFromOutputs(env: Environment, raw: unknown, file: string): WiredValues {
  const stack = awsStackName(env);
  const fail = (field: string, found: string, expected: string): never => {
    throw new ConfigError(file, [{ path: field, found, expected }]);
  };
  if (env.mode === "helm-only") {
    fail("", "an outputs file", `no outputs file: ${env.name} is helm-only (no AWS stack); its AWS facts come from externalAws in ${env.file}`);
  }
  if (!raw || typeof raw !== "object" || Array.isArray(raw)) fail("", describeValue(raw), `the JSON object written by \`cdktf output ${stack} --outputs-file ${file}\``);
  const top = raw as Record<string, unknown>;
  const stacks = Object.keys(top).filter((k) => /^layer-.+-(aws|helm)$/.test(k));
  let outputs: Record<string, unknown>;
  if (stacks.length > 0) {
    if (!(stack in top)) {
      fail("", `outputs of ${stacks.join(", ")}`, `outputs of ${stack}: this file is from another environment (run \`cdktf output ${stack} --outputs-file ${file}\`)`);
    }
    outputs = top[stack] as Record<string, unknown>;
  } else {
    outputs = top;
  }
  const value = (key: keyof typeof RELEASE_OUTPUTS | "gatewayCertificateArn"): string => {
    const { output, what } = key === "gatewayCertificateArn" ? CERTIFICATE_OUTPUT : RELEASE_OUTPUTS[key];
    let v = outputs?.[output];
    if (v && typeof v === "object" && "value" in (v as object)) v = (v as { value: unknown }).value;
    if (typeof v !== "string" || v === "") {
      return fail(stacks.length > 0 ? `${stack}.${output}` : output, describeValue(v), `${what} (output ${output} of ${stack}; is the stack deployed at this version?)`);
    }
    return v;
  };
  const wired: WiredValues = {
    bucket: value("bucket"),
    gatewayRoleArn: value("gatewayRoleArn"),
    dashboardRoleArn: value("dashboardRoleArn"),
    operatorRoleArn: value("operatorRoleArn"),
    gatewayImageRepository: value("gatewayImageRepository"),
    gatewayCertificateArn: managedCertificate(env) ? value("gatewayCertificateArn") : env.dns.certificateArn,
  };
  const region = value("region");
  if (region !== env.region) fail(`${stack}.region`, JSON.stringify(region), `${env.region} (region in ${env.file}): these outputs are from another environment`);
  if (wired.bucket !== dataBucketName(env)) {
    fail(`${stack}.data_bucket_name`, JSON.stringify(wired.bucket), `${dataBucketName(env)}: these outputs are from another environment or account`);
  }
  for (const key of ["gatewayRoleArn", "dashboardRoleArn", "operatorRoleArn"] as const) {
    const account = /^arn:[a-z-]+:iam::(\d{12}):role\//.exec(wired[key]!)?.[1];
    if (account !== env.accountId) {
      fail(`${stack}.${RELEASE_OUTPUTS[key].output}`, JSON.stringify(wired[key]), `an IAM role ARN in account ${env.accountId} (accountId in ${env.file})`);
    }
  }
  return wired;
}

/** The chart reference as a person runs helm from the project root. */
export function chartForHelmCli(env: Environment): { ref: string; version?: string } {
  const chart = env.release.chart;
  if ("path" in chart) return { ref: chart.path };
  return { ref: `${chart.repository.replace(/\/$/, "")}/${chart.chart}`, version: chart.version };
}

/**
 * `values.<env>.yaml` for plain Helm: the same values the Helm stack passes,
 * under comments that say where each secret must come from.
 */
export function handoffValuesFile(env: Environment, wired: WiredValues, sourceNote: string): string {
  const secrets = releaseSecrets(env);
  const lines = [
    `# Values of the layer release for ${env.name}: ${env.valuesFile} merged with ${sourceNote}.`,
    `# Generated by \`npm run values -- ${env.name}\`; regenerate instead of editing.`,
    "# No secret is in this file.",
  ];
  if (secrets.length === 0) lines.push("# Every credential is referenced through an existing Secret (secretRef).");
  else if (env.release.secrets === "secrets-manager") {
    lines.push("# Secrets come from Kubernetes Secrets synced from AWS Secrets Manager (docs/secrets.md):");
    for (const s of secrets) lines.push(`#   ${s.valuesPath}: Secret ${s.kubernetesSecret.name}, key ${s.kubernetesSecret.key} (from ${s.secretsManagerName})`);
  } else {
    lines.push("# Supply each secret at install time from a file outside the repository, written");
    lines.push("# without a trailing newline (printf %s \"$KEY\" > file), with --set-file:");
    for (const s of secrets) lines.push(`#   ${s.description}: --set-file "${s.valuesPath}=$${secretFileVariable(s.variable)}"`);
  }
  return `${lines.join("\n")}\n${releaseValuesYaml(env, wired)}`;
}

/**
 * The exact command that installs the release from that file. `chartDir`
 * replaces a local chart path (relative to where the command is run).
 */
export function helmInstallCommand(env: Environment, valuesFile: string, chartDir?: string): string {
  const chart = chartForHelmCli(env);
  if (chartDir !== undefined && "path" in env.release.chart) chart.ref = chartDir;
  const parts = [
    "helm upgrade --install",
    RELEASE_NAME,
    chart.ref,
    ...(chart.version ? ["--version", chart.version] : []),
    "--namespace",
    env.release.namespace,
    "--create-namespace",
    "-f",
    valuesFile,
  ];
  if (env.release.secrets === "write-only") {
    // Double quotes: the shell expands the variable but does not glob `[0]`.
    for (const s of releaseSecrets(env)) parts.push(`--set-file "${s.valuesPath}=$${secretFileVariable(s.variable)}"`);
  }
  return parts.join(" ");
}

/** The shell variable the printed command expects to hold the path of a secret's file. */
export function secretFileVariable(variable: string): string {
  return `${variable.toUpperCase()}_FILE`;
}
