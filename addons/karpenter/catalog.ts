import type { AddonCatalogEntry, AddonChart } from "../catalog";

/** Karpenter's charts, pulled anonymously from public ECR (no registry token that changes every plan). */
export const KARPENTER_CHART_REPOSITORY = "oci://public.ecr.aws/karpenter";

/** `karpenter-crd`, so CRD upgrades follow the chart version (https://karpenter.sh/docs/upgrading/upgrade-guide/). */
export const KARPENTER_CRD_CHART = {
  releaseName: "karpenter-crd",
  chart: "karpenter-crd",
  repository: KARPENTER_CHART_REPOSITORY,
  namespace: "kube-system",
  placement: "no-pods",
} as const satisfies AddonChart;

export const KARPENTER_CHART = {
  releaseName: "karpenter",
  chart: "karpenter",
  repository: KARPENTER_CHART_REPOSITORY,
  namespace: "kube-system",
  placement: "system-nodes",
} as const satisfies AddonChart;

/** The controller's service account, named exactly in its IRSA trust. */
export const KARPENTER_SERVICE_ACCOUNT = { namespace: "kube-system", name: "karpenter" } as const;

export const KARPENTER_CATALOG: AddonCatalogEntry = {
  name: "karpenter",
  description: "Karpenter: launches worker nodes for pending pods, handles spot interruptions",
  switch: "karpenter.enabled",
  charts: [KARPENTER_CRD_CHART, KARPENTER_CHART],
  enabled: (env) => env.karpenter.enabled,
  releases: (env) => [
    { ...KARPENTER_CRD_CHART, version: env.karpenter.chartVersion },
    { ...KARPENTER_CHART, version: env.karpenter.chartVersion },
  ],
};
