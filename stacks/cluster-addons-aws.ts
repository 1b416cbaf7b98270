import type { Construct } from "constructs";
import { ITerraformDependable, TerraformOutput, Token } from "cdktf";
import type { Environment } from "../config/environment";
import type { ClusterContext } from "../constructs/cluster-context";
import { Karpenter } from "../constructs/karpenter";
import { LoadBalancerController } from "../constructs/load-balancer-controller";
import { SharedFileSystem } from "../constructs/efs";
import { SpotServiceLinkedRole } from "../constructs/spot-service-linked-role";
import { ADDON_SERVICE_ACCOUNTS, efsCreationToken, karpenterQueueName, roleName } from "./naming";

export interface ClusterAddonsAws {
  readonly karpenter?: Karpenter;
  readonly loadBalancerController?: LoadBalancerController;
  readonly sharedFileSystem?: SharedFileSystem;
  /** With Karpenter, a pool that allows spot and `karpenter.spotServiceLinkedRole: create`. */
  readonly spotServiceLinkedRole?: SpotServiceLinkedRole;
}

export interface ClusterAddonsAwsOptions {
  /** The system node group: managed add-ons whose pods need nodes wait for it. @default none */
  readonly computeReady?: ITerraformDependable[];
  /** The VPC CNI runs with its own IRSA role, so node roles go without AmazonEKS_CNI_Policy. @default false */
  readonly cniHasOwnRole?: boolean;
}

/**
 * The AWS side of the cluster add-ons (Karpenter, AWS Load Balancer
 * Controller, EFS) in `layer-<env>-aws`, each behind its own switch. Their
 * in-cluster side lives in the Helm stack (stacks/cluster-addons.ts), which
 * rebuilds every name and ARN from stacks/naming.ts.
 */
export function addClusterAddonsAws(stack: Construct, env: Environment, cluster: ClusterContext, options: ClusterAddonsAwsOptions = {}): ClusterAddonsAws {
  let karpenter: Karpenter | undefined;
  let loadBalancerController: LoadBalancerController | undefined;
  let sharedFileSystem: SharedFileSystem | undefined;
  let spotServiceLinkedRole: SpotServiceLinkedRole | undefined;

  if (env.karpenter.enabled) {
    karpenter = new Karpenter(stack, "karpenter", {
      cluster,
      clusterName: env.clusterName,
      accountId: env.accountId,
      region: env.region,
      partition: env.partition,
      dnsSuffix: env.dnsSuffix,
      queueName: karpenterQueueName(env),
      controllerRoleName: roleName(env, "karpenter-controller"),
      nodeRoleName: roleName(env, "karpenter-node"),
      namePrefix: env.resourcePrefix,
      serviceAccount: ADDON_SERVICE_ACCOUNTS.karpenter,
      cniPolicyOnNodeRole: !options.cniHasOwnRole,
      ssmAccess: env.cluster.systemNodeGroup.ssmAccess,
    });
    new TerraformOutput(stack, "karpenter_queue_name", { value: karpenter.queue.name });
    new TerraformOutput(stack, "karpenter_node_role_name", { value: karpenter.nodeRole.name });
    new TerraformOutput(stack, "karpenter_controller_role_arn", { value: karpenter.controllerRole.arn });
    if (usesSpot(env) && env.karpenter.spotServiceLinkedRole === "create") {
      spotServiceLinkedRole = new SpotServiceLinkedRole(stack, "spot-service-linked-role");
    }
  }

  if (env.loadBalancerController.enabled) {
    loadBalancerController = new LoadBalancerController(stack, "load-balancer-controller", {
      cluster,
      roleName: roleName(env, "load-balancer-controller"),
      partition: env.partition,
      serviceAccount: ADDON_SERVICE_ACCOUNTS.loadBalancerController,
    });
    new TerraformOutput(stack, "load_balancer_controller_role_arn", { value: loadBalancerController.role.arn });
  }

  if (env.efs.enabled) {
    const subnets = cluster.workerSubnetIds;
    sharedFileSystem = new SharedFileSystem(stack, "efs", {
      cluster,
      creationToken: efsCreationToken(env),
      namePrefix: env.resourcePrefix,
      accountId: env.accountId,
      partition: env.partition,
      throughputMode: env.efs.throughputMode,
      // Fresh clusters have one worker subnet per configured zone, in that order.
      subnetKeys: !Token.isUnresolved(subnets) && subnets.length === env.availabilityZones.length ? env.availabilityZones : undefined,
      protected: env.protected,
      csiDriverRoleName: roleName(env, "efs-csi-driver"),
      csiDriverAddonVersion: env.cluster.addonVersions.efsCsiDriver,
      csiDriverDependsOn: options.computeReady,
    });
    new TerraformOutput(stack, "efs_file_system_id", { value: sharedFileSystem.fileSystem.id });
    new TerraformOutput(stack, "efs_csi_driver_role_arn", { value: sharedFileSystem.csiDriverRole.arn });
  }
  return { karpenter, loadBalancerController, sharedFileSystem, spotServiceLinkedRole };
}

/** Whether any enabled Karpenter pool may launch spot capacity. */
export function usesSpot(env: Environment): boolean {
  const pools = [env.karpenter.workerCpu, env.karpenter.workerGpu];
  return pools.some((pool) => pool.enabled && pool.capacityTypes.includes("spot"));
}
