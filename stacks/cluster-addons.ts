import type { ITerraformDependable } from "cdktf";
import type { DataAwsEksCluster } from "@cdktf/provider-aws/lib/data-aws-eks-cluster";
import type { Construct } from "constructs";
import type { Environment } from "../config/environment";
import { KarpenterRelease } from "../constructs/karpenter-release";
import { WorkerPoolSpec, WorkerPools } from "../constructs/worker-pools";
import { GPU_TAINT, NODE_ROLES, NODE_ROLE_LABEL, WORKER_COMPUTE } from "../config/node-roles";
import { LoadBalancerControllerRelease } from "../constructs/load-balancer-controller-release";
import { EfsStorageClass } from "../constructs/efs-storage-class";
import { ClusterDrainGate } from "../constructs/cluster-drain-gate";
import { ADDON_SERVICE_ACCOUNTS, defaultTags, efsCreationToken, karpenterQueueName, roleArn, roleName } from "../config/naming";
import { albClassSettings } from "../config/gateway-ingress";
import { ingressScheme } from "../config/rules";

/**
 * terraform runs in `cdktf.out/stacks/<stack>/`; the chart lives in the
 * project (like the local state file, the path is project-relative).
 */
export const WORKER_POOLS_CHART_PATH = "../../../charts/worker-pools";

export interface ClusterAddons {
  readonly karpenter?: KarpenterRelease;
  readonly workerPools?: WorkerPools;
  readonly loadBalancerController?: LoadBalancerControllerRelease;
  readonly storageClass?: EfsStorageClass;
  /**
   * What a release with Ingresses must depend on: created after the load
   * balancer controller, and on destroy it waits until the controller has
   * deleted every load balancer it made before the controller goes.
   */
  readonly ingressReady?: ITerraformDependable;
  /**
   * What every release that creates a Service must depend on: the load
   * balancer controller's release. Chart 3.5.0 registers the
   * `mservice.elbv2.k8s.aws` mutating webhook with `failurePolicy: Fail`, so
   * until the controller's pods are ready every Service CREATE fails with "no
   * endpoints available" (kubernetes-sigs/aws-load-balancer-controller#4140).
   * The release is installed with helm `wait`, so depending on it means
   * "after the webhook answers".
   */
  readonly serviceWebhookReady?: ITerraformDependable;
  /** What a release with worker pods must depend on: the NodePools. */
  readonly workerPoolsReady?: ITerraformDependable;
}

/** The gateway ALB's settings, on the `alb` class: the product chart's Ingress cannot carry them (docs/edge.md). */
export function gatewayAlbSettings(env: Environment): Record<string, unknown> | undefined {
  if (ingressScheme(env) === "none") return undefined;
  const logs = env.ingress.accessLogs;
  return {
    ...albClassSettings({
      sslPolicy: env.ingress.sslPolicy,
      deletionProtection: env.protected,
      accessLogs: logs ? { bucket: logs.bucket, prefix: logs.prefix ?? `alb/${env.name}` } : undefined,
      wafAclArn: env.ingress.wafAclArn,
    }),
  };
}

/** The environment's worker pools, from its `karpenter` section. */
export function workerPoolSpecs(env: Environment): WorkerPoolSpec[] {
  const k = env.karpenter;
  const pools: WorkerPoolSpec[] = [];
  const common = (p: typeof k.workerCpu) => ({
    instanceFamilies: p.instanceFamilies,
    capacityTypes: p.capacityTypes,
    consolidationPolicy: p.consolidationPolicy,
    consolidateAfter: p.consolidateAfter,
    disruptionBudget: p.disruptionBudget,
    expireAfter: p.expireAfter,
  });
  if (k.workerCpu.enabled) {
    pools.push({
      name: NODE_ROLES.workerCpu,
      nodeRole: NODE_ROLES.workerCpu,
      compute: WORKER_COMPUTE[NODE_ROLES.workerCpu],
      ...common(k.workerCpu),
      limits: { cpu: k.workerCpu.limits.cpu, memoryGiB: k.workerCpu.limits.memoryGiB },
      rootVolumeGiB: 50,
    });
  }
  if (k.workerGpu.enabled) {
    pools.push({
      name: NODE_ROLES.workerGpu,
      nodeRole: NODE_ROLES.workerGpu,
      compute: WORKER_COMPUTE[NODE_ROLES.workerGpu],
      ...common(k.workerGpu),
      limits: { cpu: k.workerGpu.limits.cpu, memoryGiB: k.workerGpu.limits.memoryGiB, gpu: k.workerGpu.limits.gpu },
      // NVIDIA AMI variants and CUDA images need room.
      rootVolumeGiB: 100,
      taints: [{ ...GPU_TAINT }],
    });
  }
  if (k.documentCache.enabled) {
    // The cache keeps its data on instance-store NVMe: no spot, no consolidation of busy nodes, no expiry.
    pools.push({
      name: NODE_ROLES.documentCache,
      nodeRole: NODE_ROLES.documentCache,
      instanceFamilies: k.documentCache.instanceFamilies,
      capacityTypes: ["on-demand"],
      limits: { cpu: k.documentCache.limits.cpu, memoryGiB: k.documentCache.limits.memoryGiB },
      consolidationPolicy: "WhenEmpty",
      consolidateAfter: "30m",
      disruptionBudget: "1",
      expireAfter: "Never",
      rootVolumeGiB: 50,
    });
  }
  return pools;
}

/**
 * The in-cluster side of the cluster add-ons, in dependency order: the load
 * balancer controller first (its Service webhook must answer before any
 * chart creates a Service), then Karpenter (CRDs, controller) → worker pools
 * (+ NVIDIA device plugin); the EFS StorageClass. Each is on only when its
 * section is enabled (fresh-cluster mode by default).
 *
 * Destroy runs in reverse: the product release (which depends on
 * `ingressReady` and `workerPoolsReady`) goes first, then the pools (Karpenter
 * terminates their nodes while it still runs), then the controllers, each
 * after its drain gate saw the AWS resources it manages disappear.
 */
export function addClusterAddons(stack: Construct, env: Environment, cluster: DataAwsEksCluster): ClusterAddons {
  const system = { [NODE_ROLE_LABEL]: NODE_ROLES.system };
  const cli = `aws --region ${env.region} --output text`;
  let karpenter: KarpenterRelease | undefined;
  let workerPools: WorkerPools | undefined;
  let loadBalancerController: LoadBalancerControllerRelease | undefined;
  let storageClass: EfsStorageClass | undefined;
  let ingressReady: ITerraformDependable | undefined;

  if (env.loadBalancerController.enabled) {
    loadBalancerController = new LoadBalancerControllerRelease(stack, "load-balancer-controller", {
      clusterName: env.clusterName,
      region: env.region,
      vpcId: cluster.vpcConfig.get(0).vpcId,
      roleArn: roleArn(env, "load-balancer-controller"),
      chartVersion: env.loadBalancerController.chartVersion,
      replicas: env.loadBalancerController.replicas,
      nodeSelector: system,
      serviceAccountName: ADDON_SERVICE_ACCOUNTS.loadBalancerController.name,
      // Load balancers count toward the gateway's cost report (config/cost-allocation.ts).
      defaultTags: defaultTags(env),
      ingressClassParamsSpec: gatewayAlbSettings(env),
    });
    // The controller tags everything it creates with elbv2.k8s.aws/cluster; a leftover security group blocks VPC
    // deletion. Only load balancers and target groups are asked for: the tagging API keeps listing deleted
    // listeners and rules (kubernetes-sigs/aws-load-balancer-controller#2588), so they would never reach 0.
    ingressReady = new ClusterDrainGate(stack, "load-balancers-deleted", {
      waitsFor: "load balancers, target groups and security groups of the AWS Load Balancer Controller",
      countCommands: [
        `${cli} resourcegroupstaggingapi get-resources --resource-type-filters elasticloadbalancing:loadbalancer elasticloadbalancing:targetgroup ` +
          `--tag-filters Key=elbv2.k8s.aws/cluster,Values=${env.clusterName} --query "length(ResourceTagMappingList)"`,
        `${cli} ec2 describe-security-groups --filters Name=tag:elbv2.k8s.aws/cluster,Values=${env.clusterName} --query "length(SecurityGroups)"`,
      ],
      after: [loadBalancerController.release],
    }).gate;
  }

  if (env.karpenter.enabled) {
    karpenter = new KarpenterRelease(stack, "karpenter", {
      clusterName: env.clusterName,
      region: env.region,
      interruptionQueueName: karpenterQueueName(env),
      controllerRoleArn: roleArn(env, "karpenter-controller"),
      chartVersion: env.karpenter.chartVersion,
      replicas: env.karpenter.controllerReplicas,
      nodeSelector: system,
      serviceAccountName: ADDON_SERVICE_ACCOUNTS.karpenter.name,
      namespace: ADDON_SERVICE_ACCOUNTS.karpenter.namespace,
      // The chart creates Services, which the controller's webhook must admit.
      dependsOn: loadBalancerController ? [loadBalancerController.release] : undefined,
    });
    const instancesGone = new ClusterDrainGate(stack, "karpenter-instances-drained", {
      waitsFor: "Karpenter instances",
      countCommands: [
        `${cli} ec2 describe-instances --filters Name=tag-key,Values=karpenter.sh/nodepool ` +
          `Name=tag:kubernetes.io/cluster/${env.clusterName},Values=owned ` +
          `Name=instance-state-name,Values=pending,running,stopping,stopped,shutting-down --query "length(Reservations[].Instances[])"`,
      ],
      after: [karpenter.controller],
    });
    workerPools = new WorkerPools(stack, "worker-pools", {
      chartPath: WORKER_POOLS_CHART_PATH,
      clusterName: env.clusterName,
      nodeRoleName: roleName(env, "karpenter-node"),
      amiAlias: env.karpenter.amiAlias,
      pools: workerPoolSpecs(env),
      tags: defaultTags(env),
      nvidiaDevicePluginChartVersion: env.karpenter.nvidiaDevicePluginChartVersion,
      dependsOn: [instancesGone.gate],
    });
  }

  if (env.efs.enabled) {
    storageClass = new EfsStorageClass(stack, "efs-storage-class", {
      name: env.efs.storageClassName,
      creationToken: efsCreationToken(env),
      retain: env.protected,
    });
  }

  return {
    karpenter,
    workerPools,
    loadBalancerController,
    storageClass,
    ingressReady,
    serviceWebhookReady: loadBalancerController?.release,
    workerPoolsReady: workerPools?.release,
  };
}
