/**
 * The shape of a cluster add-on: its catalog entry (pure data: charts,
 * pinned versions, `enabled` rule) and the two halves the stacks build, the
 * AWS half in `layer-<env>-aws` and the Helm half in `layer-<env>-helm`.
 * addons/registry.ts lists them in install order.
 */
import type { Construct } from "constructs";
import type { ITerraformDependable } from "cdktf";
import type { DataAwsEksCluster } from "@cdktf/provider-aws/lib/data-aws-eks-cluster";
import type { Environment } from "../config/environment";
import type { ClusterContext } from "../constructs/cluster-context";
import type { AddonCatalogEntry } from "./catalog";

/** What an add-on's AWS half builds on. Its resources go on `stack`, so their addresses are the add-on's own ids. */
export interface AwsAddonScope {
  readonly stack: Construct;
  readonly env: Environment;
  readonly cluster: ClusterContext;
  /** The system node group: managed add-ons whose pods need nodes wait for it. @default none */
  readonly computeReady?: ITerraformDependable[];
  /** The VPC CNI runs with its own IRSA role, so node roles go without AmazonEKS_CNI_Policy. */
  readonly cniHasOwnRole: boolean;
  /** The managed public zone (`dns.managePublicDns`). @default none */
  readonly publicZoneArn?: string;
}

/**
 * What earlier add-ons hand to later ones, filled in install order: the
 * order of the registry is the order of these dependencies.
 */
export interface AddonReadiness {
  /**
   * The load balancer controller's release. Chart 3.5.0 registers the
   * `mservice.elbv2.k8s.aws` mutating webhook with `failurePolicy: Fail`, so
   * until its pods are ready every Service CREATE fails with "no endpoints
   * available" (kubernetes-sigs/aws-load-balancer-controller#4140); the
   * release is installed with helm `wait`, so depending on it means "after
   * the webhook answers". Every release that creates a Service waits for it.
   */
  serviceWebhook?: ITerraformDependable;
  /**
   * Created after the load balancer controller; on destroy it waits until the
   * controller has deleted every load balancer it made before the controller goes.
   */
  ingress?: ITerraformDependable;
  /** Karpenter's drain gate: on destroy, Karpenter's instances are gone before Karpenter goes. */
  karpenterInstancesDrained?: ITerraformDependable;
  /** The NodePools: what a release with worker pods depends on. */
  workerPools?: ITerraformDependable;
}

/** What an add-on's Helm half builds on. */
export interface HelmAddonScope {
  readonly stack: Construct;
  readonly env: Environment;
  readonly cluster: DataAwsEksCluster;
  /** Handles of the add-ons installed before this one; an add-on adds its own. */
  readonly ready: AddonReadiness;
  /** What the product release waits for, in install order; an add-on appends what the release needs of it. */
  readonly releaseDependencies: ITerraformDependable[];
}

export interface ClusterAddon<AwsHalf = unknown, HelmHalf = unknown> {
  readonly catalog: AddonCatalogEntry;
  /** The AWS half, called only when the add-on is enabled. @default none */
  aws?(scope: AwsAddonScope): AwsHalf;
  /** The Helm half, called only when the add-on is enabled. @default none */
  helm?(scope: HelmAddonScope): HelmHalf;
}

/** The `aws --region … --output text` prefix of a drain gate's count commands. */
export function awsCli(env: Environment): string {
  return `aws --region ${env.region} --output text`;
}
