/**
 * Node roles: the value of the `layer.hev.dev/node-role` label on every node
 * this project creates. The product chart's pods select these labels and
 * tolerate the matching NoSchedule taint (its `layer.nodeSelector` and
 * `layer.roleToleration` helpers), the Karpenter NodePools put both on their
 * nodes, so every side imports them from here and tests prove they agree.
 */
export const NODE_ROLE_LABEL = "layer.hev.dev/node-role";

export const NODE_ROLES = {
  /** The always-on managed node group (i4i.large). */
  system: "system",
  /** Karpenter pool for CPU pipeline stages. */
  workerCpu: "worker-cpu",
  /** Karpenter pool for GPU pipeline stages (tainted `nvidia.com/gpu`). */
  workerGpu: "worker-gpu",
  /** Optional dedicated Karpenter pool for the document cache. */
  documentCache: "document-cache",
} as const;

export type NodeRole = (typeof NODE_ROLES)[keyof typeof NODE_ROLES];

/**
 * The second label the operator's built-in worker pools select, next to the
 * node role (the chart's own pools, templates/worker-karpenter.yaml, put
 * `compute: cpu` on worker-cpu and `compute: gpu` on worker-gpu nodes).
 */
export const COMPUTE_LABEL = "layer.hev.dev/compute";

export const COMPUTE_CLASSES = { cpu: "cpu", gpu: "gpu" } as const;

export type ComputeClass = (typeof COMPUTE_CLASSES)[keyof typeof COMPUTE_CLASSES];

/** The compute class of each worker node role. */
export const WORKER_COMPUTE: Readonly<Record<typeof NODE_ROLES.workerCpu | typeof NODE_ROLES.workerGpu, ComputeClass>> = {
  [NODE_ROLES.workerCpu]: COMPUTE_CLASSES.cpu,
  [NODE_ROLES.workerGpu]: COMPUTE_CLASSES.gpu,
};

export interface NodeTaint {
  readonly key: string;
  readonly value?: string;
  readonly effect: "NoSchedule" | "PreferNoSchedule" | "NoExecute";
}

export interface Toleration {
  readonly key?: string;
  readonly operator: "Equal" | "Exists";
  readonly value?: string;
  readonly effect?: NodeTaint["effect"];
}

/** The taint on every node of a role, as the product's own install sets it: only pods meant for the role land there. */
export function roleTaint(role: NodeRole): NodeTaint {
  return { key: NODE_ROLE_LABEL, value: role, effect: "NoSchedule" };
}

/** The toleration of a role's taint, exactly as the chart renders it (`layer.roleToleration`). */
export function roleToleration(role: NodeRole): Toleration {
  return { key: NODE_ROLE_LABEL, operator: "Equal", value: role, effect: "NoSchedule" };
}

/** The taint on GPU worker nodes, tolerated by the stock `gpu` compute pool. */
export const GPU_TAINT = { key: "nvidia.com/gpu", effect: "NoSchedule" } as const;

/** The system node group's taint (`layer.hev.dev/node-role=system:NoSchedule`). */
export const SYSTEM_TAINT: NodeTaint = roleTaint(NODE_ROLES.system);

/** Cluster add-ons select the always-on system nodes, never scale-to-zero worker pools. */
export const SYSTEM_NODE_SELECTOR = { [NODE_ROLE_LABEL]: NODE_ROLES.system } as const;

/** What every pod that runs on the system nodes tolerates. */
export const SYSTEM_TOLERATION: Toleration = roleToleration(NODE_ROLES.system);

/**
 * Upstream's default toleration of Karpenter, CoreDNS and the EFS CSI
 * controller; kept when their tolerations are replaced, so a cluster that
 * also taints nodes `CriticalAddonsOnly` still runs them.
 */
export const CRITICAL_ADDONS_TOLERATION: Toleration = { key: "CriticalAddonsOnly", operator: "Exists" };

/** Where a pod runs: the node selector and tolerations of its pod spec. */
export interface PodPlacement {
  readonly nodeSelector: Record<string, string>;
  readonly tolerations: Toleration[];
}

/**
 * Placement of a cluster add-on's pods: on the system nodes, through their
 * taint. Extra tolerations come first (upstream defaults kept), extra labels
 * are selected besides the node role (`kubernetes.io/os`).
 */
export function systemPlacement(extraTolerations: readonly Toleration[] = [], extraNodeSelector: Readonly<Record<string, string>> = {}): PodPlacement {
  return { nodeSelector: { ...extraNodeSelector, ...SYSTEM_NODE_SELECTOR }, tolerations: [...extraTolerations, { ...SYSTEM_TOLERATION }] };
}
