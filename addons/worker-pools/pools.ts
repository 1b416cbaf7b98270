import type { Environment } from "../../config/environment";
import { GPU_TAINT, NODE_ROLES, WORKER_COMPUTE } from "../../config/node-roles";
import type { WorkerPoolSpec } from "./helm";

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
