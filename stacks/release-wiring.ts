/**
 * What the `layer` release gets from AWS, without reading the AWS stack's
 * state: rebuilt from the naming rules the AWS stack uses, or taken from
 * `externalAws` in helm-only mode.
 */
import * as path from "node:path";
import type { Environment } from "../config/environment";
import type { ReleaseImage, WiredValues } from "../config/release-values";
import { RELEASE_NAME, buildReleaseValues, releaseSecrets, renderValuesYaml } from "../config/release-values";
import { awsStackName } from "../config/environment";
import { ConfigError, describeValue } from "../config/errors";
import type { LayerChart, WriteOnlyValue } from "../constructs/layer-release";
import { chartRepositoryUrl, dataBucketName, repositoryUrl, roleArn } from "../config/naming";

/** The product chart version this project's values contract is written against (chart layer 0.1.0, hev layer v0.5.2). */
export const PRODUCT_CHART_VERSION = "0.1.0";

/** Image repositories: the environment's ECR (or the registry it names), an image's own repository winning. */
function imageRepositories(env: Environment, ecr: (image: "gateway" | "operator" | "dashboard") => string | undefined): WiredValues["imageRepositories"] {
  const registry = env.release.images.registry;
  const out: Partial<Record<ReleaseImage, string>> = {};
  for (const image of ["gateway", "operator", "dashboard", "search"] as const) {
    const own = env.release.images[image]?.repository;
    const fromRegistry = registry ? `${registry}/${image}` : undefined;
    const repository = own ?? fromRegistry ?? (image === "search" ? undefined : ecr(image));
    if (repository) out[image] = repository;
  }
  return out;
}

export function wiredValues(env: Environment): WiredValues {
  if (env.mode === "helm-only") {
    const ext = env.externalAws!;
    return {
      bucket: ext.bucket,
      gatewayRoleArn: ext.gatewayRoleArn,
      dashboardRoleArn: ext.dashboardRoleArn,
      operatorRoleArn: ext.operatorRoleArn,
      imageRepositories: imageRepositories(env, (image) => (image === "gateway" ? ext.gatewayImageRepository : undefined)),
    };
  }
  return {
    bucket: dataBucketName(env),
    gatewayRoleArn: roleArn(env, "gateway"),
    dashboardRoleArn: roleArn(env, "dashboard"),
    operatorRoleArn: roleArn(env, "operator"),
    imageRepositories: imageRepositories(env, (image) => repositoryUrl(env, image)),
  };
}

/** The release values the Helm stack passes, as YAML. */
export function releaseValuesYaml(env: Environment, wired: WiredValues = wiredValues(env)): string {
  return renderValuesYaml(buildReleaseValues(env, wired));
}

/** Terraform runs in `cdktf.out/stacks/<stack>/`: three levels below the project root. */
export const STACK_DIR_TO_PROJECT_ROOT = "../../..";

/** The chart the environment installs: its own setting, or the chart pushed to its ECR registry. */
export function releaseChart(env: Environment): NonNullable<Environment["release"]["chart"]> {
  return env.release.chart ?? { repository: chartRepositoryUrl(env), chart: "layer", version: PRODUCT_CHART_VERSION };
}

/** The chart as the helm provider sees it (a local path relative to the stack directory). */
export function chartForTerraform(env: Environment): LayerChart {
  const chart = releaseChart(env);
  if ("path" in chart) return { path: path.posix.join(STACK_DIR_TO_PROJECT_ROOT, chart.path) };
  return chart;
}

/** Secrets the release takes as write-only values, and where each value comes from. */
export function writeOnlyValues(env: Environment): WriteOnlyValue[] {
  const fromSecretsManager = env.release.secrets === "secrets-manager";
  return releaseSecrets(env).map((s) => ({
    valuesPath: s.valuesPath,
    description: s.description,
    ...(fromSecretsManager ? { secretsManagerName: s.secretsManagerName, id: s.id } : { variable: s.variable }),
  }));
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
  gatewayRepository: { output: "gateway_repository_url", what: "the gateway ECR repository URL" },
  operatorRepository: { output: "operator_repository_url", what: "the operator ECR repository URL" },
  dashboardRepository: { output: "dashboard_repository_url", what: "the dashboard ECR repository URL" },
  region: { output: "region", what: "the AWS region" },
} as const;

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
  if (!raw || typeof raw !== "object" || Array.isArray(raw))
    fail("", describeValue(raw), `the JSON object written by \`cdktf output ${stack} --outputs-file ${file}\``);
  const top = raw as Record<string, unknown>;
  const stacks = Object.keys(top).filter((k) => /^layer-.+-(aws|helm)$/.test(k));
  let outputs: Record<string, unknown>;
  if (stacks.length > 0) {
    if (!(stack in top)) {
      fail(
        "",
        `outputs of ${stacks.join(", ")}`,
        `outputs of ${stack}: this file is from another environment (run \`cdktf output ${stack} --outputs-file ${file}\`)`,
      );
    }
    outputs = top[stack] as Record<string, unknown>;
  } else {
    outputs = top;
  }
  const value = (key: keyof typeof RELEASE_OUTPUTS): string => {
    const { output, what } = RELEASE_OUTPUTS[key];
    let v = outputs?.[output];
    if (v && typeof v === "object" && "value" in (v as object)) v = (v as { value: unknown }).value;
    if (typeof v !== "string" || v === "") {
      return fail(
        stacks.length > 0 ? `${stack}.${output}` : output,
        describeValue(v),
        `${what} (output ${output} of ${stack}; is the stack deployed at this version?)`,
      );
    }
    return v;
  };
  const wired: WiredValues = {
    bucket: value("bucket"),
    gatewayRoleArn: value("gatewayRoleArn"),
    dashboardRoleArn: value("dashboardRoleArn"),
    operatorRoleArn: value("operatorRoleArn"),
    imageRepositories: imageRepositories(env, (image) => value(`${image}Repository`)),
  };
  const region = value("region");
  if (region !== env.region)
    fail(`${stack}.region`, JSON.stringify(region), `${env.region} (region in ${env.file}): these outputs are from another environment`);
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
  const chart = releaseChart(env);
  if ("path" in chart) return { ref: chart.path };
  return { ref: `${chart.repository.replace(/\/$/, "")}/${chart.chart}`, version: chart.version };
}

/** Where a person's shell gets a secret for `--set-file`: a file they wrote, or Secrets Manager (no trailing newline either way). */
function setFileSource(env: Environment, secret: ReturnType<typeof releaseSecrets>[number]): string {
  if (env.release.secrets === "secrets-manager") {
    return `<(printf %s "$(aws secretsmanager get-secret-value --region ${env.region} --secret-id ${secret.secretsManagerName} --query SecretString --output text)")`;
  }
  return `$${secretFileVariable(secret.variable)}`;
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
    "# No secret is in this file. The chart requires these as values; pass each with --set-file:",
  ];
  for (const s of secrets) {
    const from =
      env.release.secrets === "secrets-manager"
        ? `Secrets Manager secret ${s.secretsManagerName}`
        : `a file outside the repository (printf %s "$VALUE" > file), path in $${secretFileVariable(s.variable)}`;
    lines.push(`#   ${s.valuesPath}: ${s.description}, from ${from}`);
  }
  const v = env.releaseValues;
  const key = v.vectorStore.inboundAuth.mode === "keys" ? v.vectorStore.inboundAuth.keys[0] : undefined;
  const existing = [
    ...(key?.secretRef
      ? [`#   gateway key "${key.name}": existing Secret ${key.secretRef.name}, key ${key.secretRef.key}, in namespace ${env.release.namespace}`]
      : []),
    ...(v.license?.existingSecret
      ? [`#   license token: existing Secret ${v.license.existingSecret}, key ${v.license.secretKey ?? "license"}, in namespace ${env.release.namespace}`]
      : []),
  ];
  if (existing.length > 0) lines.push("# These come from Secrets that must exist before the install:", ...existing);
  return `${lines.join("\n")}\n${releaseValuesYaml(env, wired)}`;
}

/**
 * The namespace, created before the release with Helm's ownership metadata:
 * the chart renders its own Namespace (templates/namespace.yaml), and Helm
 * adopts an existing object only when it carries these (helm pkg/action/validate.go).
 */
export function releaseNamespaceMetadata(env: Pick<Environment, "release">): { labels: Record<string, string>; annotations: Record<string, string> } {
  return {
    labels: { "app.kubernetes.io/managed-by": "Helm" },
    annotations: { "meta.helm.sh/release-name": RELEASE_NAME, "meta.helm.sh/release-namespace": env.release.namespace },
  };
}

/**
 * The exact commands that install the release from that file: the adoptable
 * namespace first, then helm. `chartDir` replaces a local chart path
 * (relative to where the commands are run).
 */
export function helmInstallCommand(env: Environment, valuesFile: string, chartDir?: string): string {
  const chart = chartForHelmCli(env);
  if (chartDir !== undefined && "path" in releaseChart(env)) chart.ref = chartDir;
  const ns = env.release.namespace;
  const meta = releaseNamespaceMetadata(env);
  const namespace = [
    `kubectl create namespace ${ns} --dry-run=client -o yaml`,
    `kubectl label --local -f - ${Object.entries(meta.labels)
      .map(([k, v]) => `${k}=${v}`)
      .join(" ")} -o yaml`,
    `kubectl annotate --local -f - ${Object.entries(meta.annotations)
      .map(([k, v]) => `${k}=${v}`)
      .join(" ")} -o yaml`,
    "kubectl apply -f -",
  ].join(" | ");
  const parts = [
    "helm upgrade --install",
    RELEASE_NAME,
    chart.ref,
    ...(chart.version ? ["--version", chart.version] : []),
    "--namespace",
    ns,
    "-f",
    valuesFile,
  ];
  // Double quotes: the shell expands the variable but does not glob `[0]`.
  for (const s of releaseSecrets(env)) parts.push(`--set-file "${s.valuesPath}=${setFileSource(env, s)}"`);
  return `${namespace}\n${parts.join(" ")}`;
}

/** The shell variable the printed command expects to hold the path of a secret's file. */
export function secretFileVariable(variable: string): string {
  return `${variable.toUpperCase()}_FILE`;
}
