/**
 * One owner per NodePool. Every Karpenter NodePool and EC2NodeClass of an
 * environment is rendered by this project's charts/worker-pools (worker-cpu,
 * worker-gpu and the optional document-cache pool); the product chart's own
 * pools (`workerKarpenter`, `documentCache.karpenter`) stay off, so no pool
 * is ever rendered twice or fought over by two Helm releases. Why: see
 * docs/cluster.md ("Who renders the NodePools").
 */
import { NODE_ROLES } from "./node-roles";
import { resolveAddonEnabled } from "./environment";

export interface NodePoolOwnershipEnv {
  readonly mode: "fresh-cluster" | "existing-cluster" | "helm-only";
  readonly karpenter: { readonly enabled?: boolean; readonly documentCache: { readonly enabled: boolean } };
}

/** True when this environment's charts/worker-pools renders the dedicated document-cache pool. */
export function projectRendersDocumentCachePool(env: NodePoolOwnershipEnv): boolean {
  return resolveAddonEnabled(env.karpenter.enabled, env.mode) && env.karpenter.documentCache.enabled;
}

/**
 * The product chart's NodePool values for an environment: its own pools off,
 * and the document cache on the project's document-cache pool when it exists
 * (the chart selects and tolerates `layer.hev.dev/node-role=document-cache`),
 * otherwise on the system nodes. The release values builder merges these in.
 */
export function chartNodePoolValues(env: NodePoolOwnershipEnv): {
  workerKarpenter: { enabled: false };
  documentCache: { nodeRole: typeof NODE_ROLES.system | typeof NODE_ROLES.documentCache; karpenter: { enabled: false } };
} {
  return {
    workerKarpenter: { enabled: false },
    documentCache: {
      nodeRole: projectRendersDocumentCachePool(env) ? NODE_ROLES.documentCache : NODE_ROLES.system,
      karpenter: { enabled: false },
    },
  };
}

/** Chart value paths that make the product chart render a NodePool; this project keeps them false. */
export const CHART_NODE_POOL_SWITCHES = ["workerKarpenter.enabled", "documentCache.karpenter.enabled"] as const;

/** The switches a set of chart values turns on: each one would be a second owner. */
export function chartNodePoolOwners(values: Record<string, unknown>): string[] {
  const at = (path: string) => path.split(".").reduce<unknown>((v, k) => (v && typeof v === "object" ? (v as Record<string, unknown>)[k] : undefined), values);
  return CHART_NODE_POOL_SWITCHES.filter((path) => at(path) === true);
}
