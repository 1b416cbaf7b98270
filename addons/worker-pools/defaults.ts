/**
 * Defaults of the worker pools (config/schema.ts reads them for the
 * `karpenter` section): instance families and limits of each pool, and the
 * pinned NVIDIA device plugin chart. Pure data, no imports.
 */
export const WORKER_POOL_DEFAULTS = {
  workerCpu: { families: ["c7i", "m7i", "c6i", "m6i", "r7i"], cpuLimit: 256, memoryGiBLimit: 1024 },
  workerGpu: { families: ["g5", "g6", "g6e"], cpuLimit: 128, memoryGiBLimit: 512, gpuLimit: 8 },
  documentCache: { families: ["i4i", "i7ie"], cpuLimit: 64, memoryGiBLimit: 512 },
  nvidiaDevicePluginChartVersion: "0.17.4",
} as const;
