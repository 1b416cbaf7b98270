import { defaultTags, roleName } from "../../config/naming";
import type { ClusterAddon } from "../addon";
import { WorkerPools } from "./helm";
import { workerPoolSpecs } from "./pools";
import { WORKER_POOLS_CATALOG, WORKER_POOLS_CHART_PATH } from "./catalog";

/**
 * The worker NodePools (charts/worker-pools) and, with a GPU pool, the NVIDIA
 * device plugin. Installed after Karpenter's drain gate, so on destroy the
 * pools go first and Karpenter terminates their nodes while it still runs.
 */
export const WORKER_POOLS: ClusterAddon<never, WorkerPools> = {
  catalog: WORKER_POOLS_CATALOG,

  helm({ stack, env, ready, releaseDependencies }) {
    if (!ready.karpenterInstancesDrained) throw new Error(`${env.file}: the worker pools need Karpenter (karpenter.enabled), installed before them`);
    const pools = new WorkerPools(stack, "worker-pools", {
      chartPath: WORKER_POOLS_CHART_PATH,
      clusterName: env.clusterName,
      nodeRoleName: roleName(env, "karpenter-node"),
      amiAlias: env.karpenter.amiAlias,
      pools: workerPoolSpecs(env),
      tags: defaultTags(env),
      nvidiaDevicePluginChartVersion: env.karpenter.nvidiaDevicePluginChartVersion,
      dependsOn: [ready.karpenterInstancesDrained],
    });
    ready.workerPools = pools.release;
    // The product's worker pods need the pools; on destroy the release goes first.
    releaseDependencies.push(pools.release);
    return pools;
  },
};
