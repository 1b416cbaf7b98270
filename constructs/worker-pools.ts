import { Construct } from "constructs";
import type { ITerraformDependable } from "cdktf";
import { Release } from "@cdktf/provider-helm/lib/release";
import { renderValues } from "./helm-values";
import { ComputeClass, GPU_TAINT, NODE_ROLES, NODE_ROLE_LABEL, NodeRole, NodeTaint, roleToleration } from "../config/node-roles";

// The node-role label and GPU taint are shared with the product chart (config/node-roles.ts).
export { GPU_TAINT, NODE_ROLE_LABEL };

export const NVIDIA_DEVICE_PLUGIN_REPOSITORY = "https://nvidia.github.io/k8s-device-plugin";

export interface WorkerPoolSpec {
  /** NodePool and EC2NodeClass name (`worker-cpu`). */
  readonly name: string;
  /** The `layer.hev.dev/node-role` label, and the NoSchedule taint the chart always puts next to it. */
  readonly nodeRole: Exclude<NodeRole, "system">;
  /** The `layer.hev.dev/compute` label the operator's built-in worker pools select. @default none */
  readonly compute?: ComputeClass;
  readonly instanceFamilies: string[];
  readonly capacityTypes: ("on-demand" | "spot")[];
  readonly limits: { readonly cpu: number; readonly memoryGiB: number; readonly gpu?: number };
  readonly consolidationPolicy: "WhenEmpty" | "WhenEmptyOrUnderutilized";
  readonly consolidateAfter: string;
  readonly disruptionBudget: string;
  readonly expireAfter: string;
  readonly rootVolumeGiB: number;
  /** Taints besides the node role's own (`nvidia.com/gpu`). @default [] */
  readonly taints?: NodeTaint[];
}

export interface WorkerPoolsProps {
  /** The chart directory as Terraform sees it from the stack's working directory. */
  readonly chartPath: string;
  readonly clusterName: string;
  readonly nodeRoleName: string;
  readonly amiAlias: string;
  readonly pools: WorkerPoolSpec[];
  /** Tags on everything Karpenter launches (cost allocation). @default {} */
  readonly tags?: Record<string, string>;
  /** Pinned NVIDIA device plugin chart, installed when a pool has GPUs. */
  readonly nvidiaDevicePluginChartVersion: string;
  /** Karpenter's release: the pools are created after it and removed before it. */
  readonly dependsOn?: ITerraformDependable[];
}

/** Values of charts/worker-pools (validated by its values.schema.json). */
export function workerPoolsValues(props: Omit<WorkerPoolsProps, "chartPath" | "nvidiaDevicePluginChartVersion" | "dependsOn">): Record<string, unknown> {
  const pools: Record<string, unknown> = {};
  for (const p of props.pools) {
    pools[p.name] = {
      nodeRole: p.nodeRole,
      ...(p.compute ? { compute: p.compute } : {}),
      instanceFamilies: p.instanceFamilies,
      capacityTypes: p.capacityTypes,
      limits: {
        cpu: String(p.limits.cpu),
        memory: `${p.limits.memoryGiB}Gi`,
        ...(p.limits.gpu !== undefined ? { "nvidia.com/gpu": String(p.limits.gpu) } : {}),
      },
      consolidationPolicy: p.consolidationPolicy,
      consolidateAfter: p.consolidateAfter,
      disruptionBudget: p.disruptionBudget,
      expireAfter: p.expireAfter,
      rootVolumeSize: `${p.rootVolumeGiB}Gi`,
      taints: p.taints ?? [],
    };
  }
  return { clusterName: props.clusterName, nodeRoleName: props.nodeRoleName, amiAlias: props.amiAlias, tags: props.tags ?? {}, pools };
}

/** Values of the NVIDIA device plugin: only on GPU pool nodes, tolerating their taint. */
export function nvidiaDevicePluginValues(): Record<string, unknown> {
  return {
    // Replaces the chart's default affinity, which expects Node Feature Discovery labels.
    affinity: {
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: [{ matchExpressions: [{ key: NODE_ROLE_LABEL, operator: "In", values: [NODE_ROLES.workerGpu] }] }],
        },
      },
    },
    // GPU nodes carry both taints: the pool's role and nvidia.com/gpu.
    tolerations: [roleToleration(NODE_ROLES.workerGpu), { key: GPU_TAINT.key, operator: "Exists", effect: GPU_TAINT.effect }],
  };
}

/**
 * The worker NodePools and EC2NodeClasses, rendered by the project's own
 * chart and installed with helm_release after Karpenter. Nothing here needs
 * Karpenter's CRDs at plan time (a kubernetes_manifest would), so a first
 * deploy plans and applies in one pass.
 */
export class WorkerPools extends Construct {
  readonly release: Release;
  readonly nvidiaDevicePlugin?: Release;

  constructor(scope: Construct, id: string, props: WorkerPoolsProps) {
    super(scope, id);
    this.release = new Release(this, "default", {
      name: "worker-pools",
      namespace: "kube-system",
      chart: props.chartPath,
      values: [renderValues(workerPoolsValues(props))],
      dependsOn: props.dependsOn,
    });
    if (props.pools.some((p) => p.nodeRole === NODE_ROLES.workerGpu)) {
      this.nvidiaDevicePlugin = new Release(this, "nvidia_device_plugin", {
        name: "nvidia-device-plugin",
        namespace: "nvidia-device-plugin",
        createNamespace: true,
        repository: NVIDIA_DEVICE_PLUGIN_REPOSITORY,
        chart: "nvidia-device-plugin",
        version: props.nvidiaDevicePluginChartVersion,
        values: [renderValues(nvidiaDevicePluginValues())],
        dependsOn: props.dependsOn,
      });
    }
  }
}
