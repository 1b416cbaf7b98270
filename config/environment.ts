/**
 * The typed, fully-defaulted environment that stacks and constructs consume.
 * Constructs never read files or the process environment: everything they
 * need is here.
 */
import type { EnvironmentFile } from "./schema";
import type { ValuesFile } from "./release-values";

export type Mode = EnvironmentFile["mode"];

/** An add-on section whose `enabled` the loader has resolved from the mode. */
export type ResolvedAddon<T extends { enabled?: boolean }> = Omit<T, "enabled"> & { readonly enabled: boolean };

export interface Environment extends Omit<EnvironmentFile, "karpenter" | "loadBalancerController" | "efs"> {
  readonly karpenter: ResolvedAddon<EnvironmentFile["karpenter"]> & { readonly controllerReplicas: number };
  readonly loadBalancerController: ResolvedAddon<EnvironmentFile["loadBalancerController"]> & { readonly replicas: number };
  readonly efs: ResolvedAddon<EnvironmentFile["efs"]>;
  /** Environment name: the YAML file's base name (`dev` for `environments/dev.yaml`). */
  readonly name: string;
  /** The environment file, relative to the project root, for error messages. */
  readonly file: string;
  /** `<prefix>-<name>`: the stem of every resource name in this environment. */
  readonly resourcePrefix: string;
  /** The EKS cluster this environment creates or installs into. */
  readonly clusterName: string;
  /** AWS partition derived from the region (`aws`, `aws-cn`, `aws-us-gov`). */
  readonly partition: string;
  /** DNS suffix of the partition (`amazonaws.com`, `amazonaws.com.cn`). */
  readonly dnsSuffix: string;
  /** `helm-values/<name>.yaml`, validated and defaulted (all defaults when the file is absent). */
  readonly releaseValues: ValuesFile;
  /** The values file, relative to the project root, for error messages. */
  readonly valuesFile: string;
}

export function partitionOf(region: string): { partition: string; dnsSuffix: string } {
  if (region.startsWith("cn-")) return { partition: "aws-cn", dnsSuffix: "amazonaws.com.cn" };
  if (region.startsWith("us-gov-")) return { partition: "aws-us-gov", dnsSuffix: "amazonaws.com" };
  return { partition: "aws", dnsSuffix: "amazonaws.com" };
}

/** Stack names are part of the deploy command (`cdktf deploy 'layer-dev-*'`). */
export function awsStackName(env: Pick<Environment, "name">): string {
  return `layer-${env.name}-aws`;
}

export function helmStackName(env: Pick<Environment, "name">): string {
  return `layer-${env.name}-helm`;
}

export function createsAwsStack(env: Pick<Environment, "mode">): boolean {
  return env.mode !== "helm-only";
}

export function createsCluster(env: Pick<Environment, "mode">): boolean {
  return env.mode === "fresh-cluster";
}

/**
 * Cluster add-ons (Karpenter, load balancer controller, EFS) are created with
 * a fresh cluster; an existing cluster may already run them, so they are off
 * there unless the environment file turns them on. helm-only mode has no AWS
 * stack to hold their roles (config/rules.ts refuses `enabled: true` there).
 */
export function resolveAddonEnabled(enabled: boolean | undefined, mode: Mode): boolean {
  if (mode === "helm-only") return false;
  return enabled ?? mode === "fresh-cluster";
}

/** Controllers on the system node group: one per always-on node, at most two. */
export function defaultControllerReplicas(systemNodeGroupMinSize: number): number {
  return Math.min(2, systemNodeGroupMinSize);
}

/**
 * Principals given cluster admin through access entries: the deploying
 * identity first, then `cluster.adminPrincipalArns`.
 */
export function clusterAdminPrincipals(env: Pick<EnvironmentFile, "deployPrincipalArn" | "cluster">): string[] {
  return [...(env.deployPrincipalArn ? [env.deployPrincipalArn] : []), ...env.cluster.adminPrincipalArns];
}
