/**
 * The registry of cluster add-ons, in install order. The stacks iterate it:
 * `layer-<env>-aws` builds each enabled add-on's AWS half, `layer-<env>-helm`
 * its Helm half. Its order is ADDON_CATALOG's (addons/catalog.ts), which the
 * audit, the simulation and the review iterate; a test holds the two equal.
 *
 * Cross-add-on dependencies go through `AddonReadiness`, filled in this
 * order: the load balancer controller first (its Service webhook admits
 * every later chart's Services), Karpenter, then its worker pools (after
 * Karpenter's drain gate), EFS, then KEDA and external-dns (after the
 * webhook). The product release depends on what they push to
 * `releaseDependencies`, so it is installed after and destroyed before them.
 */
import type { AddonName } from "./catalog";
import type { AwsAddonScope, ClusterAddon, HelmAddonScope } from "./addon";
import { LOAD_BALANCER_CONTROLLER } from "./load-balancer-controller";
import { KARPENTER, KarpenterAws } from "./karpenter";
import { WORKER_POOLS } from "./worker-pools";
import { EFS } from "./efs";
import { KEDA } from "./keda";
import { EXTERNAL_DNS } from "./external-dns";
import type { LoadBalancerController } from "./load-balancer-controller/aws";
import type { LoadBalancerControllerRelease } from "./load-balancer-controller/helm";
import type { KarpenterRelease } from "./karpenter/helm";
import type { WorkerPools } from "./worker-pools/helm";
import type { SharedFileSystem } from "./efs/aws";
import type { EfsStorageClass } from "./efs/storage-class";
import type { Keda } from "./keda/helm";
import type { ExternalDnsRole } from "./external-dns/aws";
import type { ExternalDns } from "./external-dns/helm";

export const CLUSTER_ADDONS: readonly ClusterAddon[] = [LOAD_BALANCER_CONTROLLER, KARPENTER, WORKER_POOLS, EFS, KEDA, EXTERNAL_DNS];

/** What the AWS halves of the enabled add-ons built, by add-on. */
export interface AwsAddons {
  readonly "load-balancer-controller"?: LoadBalancerController;
  readonly karpenter?: KarpenterAws;
  readonly efs?: SharedFileSystem;
  readonly "external-dns"?: ExternalDnsRole;
}

/** What the Helm halves of the enabled add-ons built, by add-on. */
export interface HelmAddons {
  readonly "load-balancer-controller"?: LoadBalancerControllerRelease;
  readonly karpenter?: KarpenterRelease;
  readonly "worker-pools"?: WorkerPools;
  readonly efs?: EfsStorageClass;
  readonly keda?: Keda;
  readonly "external-dns"?: ExternalDns;
}

/** The AWS half of every enabled add-on, in registry order. */
export function addAddonsAws(scope: AwsAddonScope): AwsAddons {
  const built: Partial<Record<AddonName, unknown>> = {};
  for (const addon of CLUSTER_ADDONS) {
    if (addon.aws && addon.catalog.enabled(scope.env)) built[addon.catalog.name] = addon.aws(scope);
  }
  return built as AwsAddons;
}

/** The Helm half of every enabled add-on, in registry order; `scope.ready` and `scope.releaseDependencies` fill as they go. */
export function addAddonsHelm(scope: HelmAddonScope): HelmAddons {
  const built: Partial<Record<AddonName, unknown>> = {};
  for (const addon of CLUSTER_ADDONS) {
    if (addon.helm && addon.catalog.enabled(scope.env)) built[addon.catalog.name] = addon.helm(scope);
  }
  return built as HelmAddons;
}
