import { TerraformOutput } from "cdktf";
import { karpenterQueueName, roleArn, roleName } from "../../config/naming";
import { ClusterDrainGate } from "../../constructs/cluster-drain-gate";
import { ClusterAddon, awsCli } from "../addon";
import { Karpenter } from "./aws";
import { KarpenterRelease } from "./helm";
import { SpotServiceLinkedRole, usesSpot } from "./spot-service-linked-role";
import { KARPENTER_CATALOG, KARPENTER_SERVICE_ACCOUNT } from "./catalog";

export interface KarpenterAws {
  readonly karpenter: Karpenter;
  /** With a pool that allows spot and `karpenter.spotServiceLinkedRole: create`. */
  readonly spotServiceLinkedRole?: SpotServiceLinkedRole;
}

/**
 * Karpenter: controller and node roles, interruption queue and its rules
 * (AWS), then its CRDs, the controller and the drain gate that holds its
 * destroy until the instances it launched are gone. The worker pools are an
 * add-on of their own (addons/worker-pools/), installed after this one.
 */
export const KARPENTER: ClusterAddon<KarpenterAws, KarpenterRelease> = {
  catalog: KARPENTER_CATALOG,

  aws({ stack, env, cluster, cniHasOwnRole }) {
    const karpenter = new Karpenter(stack, "karpenter", {
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
      serviceAccount: KARPENTER_SERVICE_ACCOUNT,
      cniPolicyOnNodeRole: !cniHasOwnRole,
      ssmAccess: env.cluster.systemNodeGroup.ssmAccess,
    });
    new TerraformOutput(stack, "karpenter_queue_name", { value: karpenter.queue.name });
    new TerraformOutput(stack, "karpenter_node_role_name", { value: karpenter.nodeRole.name });
    new TerraformOutput(stack, "karpenter_controller_role_arn", { value: karpenter.controllerRole.arn });
    const spotServiceLinkedRole =
      usesSpot(env) && env.karpenter.spotServiceLinkedRole === "create" ? new SpotServiceLinkedRole(stack, "spot-service-linked-role") : undefined;
    return { karpenter, spotServiceLinkedRole };
  },

  helm({ stack, env, ready }) {
    const release = new KarpenterRelease(stack, "karpenter", {
      clusterName: env.clusterName,
      region: env.region,
      interruptionQueueName: karpenterQueueName(env),
      controllerRoleArn: roleArn(env, "karpenter-controller"),
      chartVersion: env.karpenter.chartVersion,
      replicas: env.karpenter.controllerReplicas,
      // The chart creates Services, which the load balancer controller's webhook must admit.
      dependsOn: ready.serviceWebhook ? [ready.serviceWebhook] : undefined,
    });
    ready.karpenterInstancesDrained = new ClusterDrainGate(stack, "karpenter-instances-drained", {
      waitsFor: "Karpenter instances",
      countCommands: [
        `${awsCli(env)} ec2 describe-instances --filters Name=tag-key,Values=karpenter.sh/nodepool ` +
          `Name=tag:kubernetes.io/cluster/${env.clusterName},Values=owned ` +
          `Name=instance-state-name,Values=pending,running,stopping,stopped,shutting-down --query "length(Reservations[].Instances[])"`,
      ],
      after: [release.controller],
    }).gate;
    return release;
  },
};
