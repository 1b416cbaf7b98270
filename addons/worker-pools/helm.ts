import { Construct } from "constructs";
import type { ITerraformDependable } from "cdktf";
import type { Release } from "@cdktf/provider-helm/lib/release";
import { ComputeClass, GPU_TAINT, NODE_ROLES, NODE_ROLE_LABEL, NodeRole, NodeTaint, roleToleration } from "../../config/node-roles";
import { HelmAddonRelease } from "../helm-addon";
import { NVIDIA_DEVICE_PLUGIN_CHART, WORKER_POOLS_CHART } from "./catalog";

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
  /** The chart directory as Terraform sees it from the stack's working directory. @default WORKER_POOLS_CHART_PATH */
  readonly chartPath?: string;
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
    this.release = new HelmAddonRelease(this, "default", {
      chart: { ...WORKER_POOLS_CHART, chart: props.chartPath ?? WORKER_POOLS_CHART.chart },
      values: () => workerPoolsValues(props),
      dependsOn: props.dependsOn,
    });
    if (props.pools.some((p) => p.nodeRole === NODE_ROLES.workerGpu)) {
      this.nvidiaDevicePlugin = new HelmAddonRelease(this, "nvidia_device_plugin", {
        chart: NVIDIA_DEVICE_PLUGIN_CHART,
        version: props.nvidiaDevicePluginChartVersion,
        values: () => nvidiaDevicePluginValues(),
        dependsOn: props.dependsOn,
      });
    }
  }
}
