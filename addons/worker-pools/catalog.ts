import type { AddonCatalogEntry, AddonChart } from "../catalog";

/**
 * The project's own chart for the Karpenter NodePools and EC2NodeClasses, as
 * terraform sees it from `cdktf.out/stacks/<stack>/` (like the local state
 * file, the path is project-relative).
 */
export const WORKER_POOLS_CHART_PATH = "../../../charts/worker-pools";

export const WORKER_POOLS_CHART = {
  releaseName: "worker-pools",
  chart: WORKER_POOLS_CHART_PATH,
  namespace: "kube-system",
  placement: "no-pods",
} as const satisfies AddonChart;

/** The NVIDIA device plugin: advertises `nvidia.com/gpu` on GPU pool nodes (https://github.com/NVIDIA/k8s-device-plugin). */
export const NVIDIA_DEVICE_PLUGIN_CHART = {
  releaseName: "nvidia-device-plugin",
  chart: "nvidia-device-plugin",
  repository: "https://nvidia.github.io/k8s-device-plugin",
  namespace: "nvidia-device-plugin",
  createNamespace: true,
  placement: "gpu-nodes",
} as const satisfies AddonChart;

export const WORKER_POOLS_CATALOG: AddonCatalogEntry = {
  name: "worker-pools",
  description: "Karpenter NodePools for the workers (and the document cache), with the NVIDIA device plugin when a pool has GPUs",
  switch: "karpenter.enabled",
  charts: [WORKER_POOLS_CHART, NVIDIA_DEVICE_PLUGIN_CHART],
  enabled: (env) => env.karpenter.enabled,
  releases: (env) => [
    { ...WORKER_POOLS_CHART },
    ...(env.karpenter.workerGpu.enabled ? [{ ...NVIDIA_DEVICE_PLUGIN_CHART, version: env.karpenter.nvidiaDevicePluginChartVersion }] : []),
  ],
};
