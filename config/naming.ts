/**
 * Names of everything an environment creates, derived only from its config.
 * The AWS stack names its resources with these functions and the Helm stack
 * (and `npm run values`) rebuild ARNs and URLs from the same functions, so
 * the Helm stage can plan without reading the AWS stack's state.
 */
import type { Environment } from "./environment";
import { COST_ALLOCATION_TAG_KEY } from "./cost-allocation";

/**
 * hev layer's images (gateway, operator, dashboard), customer pipeline
 * functions, and `layer`: the product chart as an OCI artifact (`helm push`
 * names the repository after the chart).
 */
export const REPOSITORY_NAMES = ["gateway", "operator", "dashboard", "functions", "layer"] as const;
export type RepositoryName = (typeof REPOSITORY_NAMES)[number];

type Naming = Pick<Environment, "resourcePrefix" | "accountId" | "region" | "partition" | "dnsSuffix" | "name" | "tags">;

/** Bucket names are global: account and region make them unique without a random suffix. */
export function dataBucketName(env: Naming): string {
  return `${env.resourcePrefix}-data-${env.accountId}-${env.region}`;
}

/** IAM roles this project creates, by purpose. */
export type RolePurpose =
  | "gateway"
  | "dashboard"
  | "operator"
  | "system-node"
  | "cluster"
  | "karpenter-controller"
  | "karpenter-node"
  | "load-balancer-controller"
  | "efs-csi-driver"
  | "vpc-cni"
  | "external-dns";

export function roleName(env: Naming, purpose: RolePurpose): string {
  return `${env.resourcePrefix}-${purpose}`;
}

export function roleArn(env: Naming, purpose: RolePurpose): string {
  return `arn:${env.partition}:iam::${env.accountId}:role/${roleName(env, purpose)}`;
}

/** ECR repository name of one of the product's images (`layer-dev/gateway`). */
export function repositoryName(env: Naming, image: RepositoryName): string {
  return `${env.resourcePrefix}/${image}`;
}

export function repositoryUrl(env: Naming, image: RepositoryName): string {
  return `${registryHost(env)}/${repositoryName(env, image)}`;
}

/** The environment's private ECR registry. */
export function registryHost(env: Naming): string {
  return `${env.accountId}.dkr.ecr.${env.region}.${env.dnsSuffix}`;
}

/**
 * Where `helm push` puts the product chart: `helm push layer-0.1.0.tgz
 * oci://<registry>/<prefix>-<env>` stores it in the ECR repository
 * `<prefix>-<env>/layer`, which the AWS stack creates.
 */
export function chartRepositoryUrl(env: Naming): string {
  return `oci://${registryHost(env)}/${env.resourcePrefix}`;
}

export function karpenterQueueName(env: Naming): string {
  return `${env.resourcePrefix}-karpenter-interruptions`;
}

/** Tags on every AWS resource (the provider's default_tags); the environment tag is the gateway's cost-allocation tag. */
export function defaultTags(env: Naming): Record<string, string> {
  return {
    "hev.dev/product": "layer",
    [COST_ALLOCATION_TAG_KEY]: env.name,
    "hev.dev/managed-by": "layer-infra",
    ...env.tags,
  };
}

/**
 * The shared EFS file system's creation token: unique per account and region,
 * so the Helm stack finds the file system by it (data.aws_efs_file_system).
 */
export function efsCreationToken(env: Naming): string {
  return `${env.resourcePrefix}-shared`;
}

/**
 * Stable key of an IAM principal for Terraform addresses (access entries):
 * `arn:aws:iam::123456789012:role/team/platform-admin` → `role_team_platform_admin`.
 */
export function principalKey(principalArn: string): string {
  const resource = principalArn.split(":").slice(5).join(":");
  return resource
    .replace(/[^A-Za-z0-9]+/g, "_")
    .replace(/^_|_$/g, "")
    .toLowerCase();
}
