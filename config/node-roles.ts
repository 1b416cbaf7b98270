/**
 * Node roles: the value of the `layer.hev.dev/node-role` label on every node
 * this project creates. The Karpenter NodePools put these labels on their
 * nodes and the product chart's InfraRules compute pools select them, so
 * both sides import them from here and a test proves they agree.
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

/** The taint on GPU worker nodes, tolerated by the stock `gpu` compute pool. */
export const GPU_TAINT = { key: "nvidia.com/gpu", effect: "NoSchedule" } as const;

/** Cluster add-ons select the always-on system nodes, never scale-to-zero worker pools. */
export const SYSTEM_NODE_SELECTOR = { [NODE_ROLE_LABEL]: NODE_ROLES.system } as const;
